import { fileURLToPath } from "node:url";
import type { AsmEvent, ProviderDefinition } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, fakeProvider, jsonlTestProfile } from "@asm/testkit";
import { expect, it } from "vitest";
import { createPolicy } from "./index.js";

// A real subprocess (the test kit's fake CLI) replays a transcript that reports usage turn by
// turn, 50 ms apart; the policy must end the run when the budget is crossed, before the CLI is done.
const transcript = fileURLToPath(new URL("./__fixtures__/streaming-usage.jsonl", import.meta.url));

function jsonlProvider(): ProviderDefinition {
  const { coreBackend: _fake, backend: _backend, ...definition } = fakeProvider([], { name: "jsonl" });
  return { ...definition, capabilities: ["streaming", "tools"], profile: jsonlTestProfile() };
}

it("ends a CLI run mid-stream when streamed usage crosses the cost budget", async () => {
  const asm = createAsm({ providers: [jsonlProvider()] });
  const policy = createPolicy({ maxCostUsd: 0.12 });
  const events: AsmEvent[] = [];
  for await (const event of asm.stream("jsonl", "work", { cliPath: fakeCliPath(), env: fakeCliEnv({ mode: "replay", transcript, delayMs: 50 }), pipeline: [policy.plug] })) {
    events.push(event);
  }
  await asm.dispose();
  expect(events.filter((event) => event.kind === "cost_update")).toHaveLength(2);
  const trigger = events.find((event) => event.kind === "guardrail_triggered");
  expect(trigger?.kind === "guardrail_triggered" && trigger.payload).toMatchObject({ rule: "cost_usd", action: "cancel", metadata: { used: 0.15, limit: 0.12 } });
  expect(events.filter((event) => event.kind === "error").map((event) => event.kind === "error" && event.payload.code)).toEqual(["guardrail_blocked"]);
  expect(events.some((event) => event.kind === "result")).toBe(false);
  expect(events.at(-1)?.kind).toBe("run_completed");
  // A subprocess on a loaded machine: generous, since this is not a timing test.
}, 30_000);
