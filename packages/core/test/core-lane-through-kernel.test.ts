import { fileURLToPath } from "node:url";
import type { ProviderDefinition } from "@asm/contract";
import { fakeCliEnv, fakeCliPath, jsonlTestProfile } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createAsm } from "../src/index.js";
import { collect, kinds } from "./helpers.js";

const transcript = fileURLToPath(new URL("./__fixtures__/basic.jsonl", import.meta.url));

function jsonlProvider(): ProviderDefinition {
  return {
    specificationVersion: "v1",
    name: "jsonl",
    displayName: "JSONL test CLI",
    optionsSchema: z.strictObject({ promptVia: z.enum(["argv", "stdin", "file", "env-file"]).optional() }),
    permissionModes: {
      default: { nativeMode: "default", cliArgs: [], label: "Default" },
      auto: { unsupported: "test CLI" },
      bypass: { unsupported: "test CLI" },
      plan: { unsupported: "test CLI" },
    },
    features: { commonFeatures: {} },
    models: { defaultModel: null, models: [] },
    admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: ["streaming", "tools"],
    profile: jsonlTestProfile(),
  };
}

describe("the core lane through the kernel", () => {
  it("runs a real subprocess end to end with one run_started, one outcome and one run_completed", async () => {
    const asm = createAsm({ providers: [jsonlProvider()] });
    const events = await collect(
      asm.stream("jsonl", "Say hello", { cliPath: fakeCliPath(), env: fakeCliEnv({ mode: "replay", transcript }) }),
    );
    expect(kinds(events).filter((kind) => kind === "run_started")).toHaveLength(1);
    // The CLI's unknown "telemetry" lines pass through as raw stdout, with one schema_drift warning.
    expect(events.filter((e) => e.kind === "raw").map((e) => (e.payload as { stream: string }).stream)).toEqual(["stdout", "stdout"]);
    expect(events.filter((e) => e.kind === "warning").map((e) => (e.payload as { code: string }).code)).toEqual(["schema_drift"]);
    expect(events[0]?.payload).toMatchObject({ command: expect.any(String), cwd: expect.any(String) });
    expect(kinds(events).filter((kind) => kind === "result" || kind === "error")).toEqual(["result"]);
    expect(events.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    expect(events.find((e) => e.kind === "cost_update")?.payload).toMatchObject({ inputTokens: 10, outputTokens: 5, costUsd: 0.001 });
    await asm.dispose();
  });

  it("reports a missing CLI as cli_not_found through query", async () => {
    const asm = createAsm({ providers: [jsonlProvider()] });
    await expect(asm.query("jsonl", "x", { cliPath: "/nonexistent/cli" })).rejects.toMatchObject({ code: "cli_not_found" });
  });
});
