import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { createAsm } from "@asm/core";
import { claudeSdkLane } from "@asm/sdk-claude";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { describe, expect, it, vi } from "vitest";
import { captureIo } from "./__fixtures__/capture-io.js";
import { formatSdkLane, sdkLaneReport } from "./lanes.js";
import { main } from "./main.js";

async function asm(argv: string[]) {
  const io = captureIo({});
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("SDK lanes in asm", () => {
  it("asm providers --json reports each provider's SDK lane: available, or none and why", async () => {
    const { code, out } = await asm(["providers", "--json"]);
    expect(code).toBe(0);
    const entries = JSON.parse(out) as Array<{ provider: string; sdkLane: { status: string; runtime: string | null; features: Record<string, unknown> | null } }>;
    const byName = Object.fromEntries(entries.map((entry) => [entry.provider, entry.sdkLane]));
    expect(byName.claude).toMatchObject({ status: "available", runtime: "@anthropic-ai/claude-agent-sdk", features: { approvals: "callback", interrupt: "graceful" } });
    expect(byName.gemini).toMatchObject({ status: "available", runtime: "@agentclientprotocol/sdk", features: { approvals: "callback" } });
    expect(byName.codex).toMatchObject({ status: "available", runtime: "codex app-server", features: { approvals: "callback", interrupt: "graceful" } });
    // The published Amp SDK cannot start its CLI: reported, never used.
    expect(byName.amp).toMatchObject({ status: "broken", runtime: "@sourcegraph/amp-sdk", reason: expect.stringContaining("does not exist") });
  });

  it("asm doctor prints one sdk lane line per provider", async () => {
    const { code, out } = await asm(["doctor", "--provider", "claude"]);
    expect(code).toBe(0);
    expect(out).toContain("sdk lane: available (@anthropic-ai/claude-agent-sdk)");
  });

  it("a missing SDK reads as unavailable with the install hint", async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package '@anthropic-ai/claude-agent-sdk'"), { code: "ERR_MODULE_NOT_FOUND" }));
    const kernel = createAsm({ providers: [claude(), codex()], lanes: [claudeSdkLane({ loadSdk: missing })] });
    const report = await sdkLaneReport(kernel, "claude");
    expect(report).toMatchObject({ available: false, status: "not_installed" });
    expect(formatSdkLane(report)).toMatch(/^sdk lane: unavailable — @anthropic-ai\/claude-agent-sdk is not installed; install: npm install/);
    await kernel.dispose();
  });

  it("asm run --lane sdk --json carries the lane fields on every event", async () => {
    for (const [key, value] of Object.entries(fakeCliEnv({ mode: "garbage" }))) vi.stubEnv(key, value);
    try {
      const { out } = await asm(["run", "hi", "--provider", "claude", "--lane", "sdk", "--json", "--cli-path", fakeCliPath()]);
      const events = out.trim().split("\n").map((line) => JSON.parse(line) as { kind: string; metadata: Record<string, unknown> });
      expect(events.at(-1)?.kind).toBe("run_completed");
      expect(events.every((event) => event.metadata.lane === "sdk" && event.metadata.requestedLane === "sdk" && event.metadata.backend === "sdk:claude")).toBe(true);
      const core = await asm(["run", "hi", "--provider", "claude", "--lane", "core", "--json", "--cli-path", fakeCliPath()]);
      const coreEvents = core.out.trim().split("\n").map((line) => JSON.parse(line) as { metadata: Record<string, unknown> });
      expect(coreEvents.every((event) => event.metadata.lane === "core" && event.metadata.backend === "core:claude")).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
