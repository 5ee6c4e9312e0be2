import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { geminiAcpLane } from "../src/index.js";

// The ACP lane's resolution, option checks and lifecycle. The lifecycle cases drive the real ACP
// SDK against the testkit's hostile fake CLI standing in for the agent command (it speaks no ACP:
// it crashes, hangs or prints garbage), so every run must still end with one outcome and no
// process left. The real `gemini --acp` is driven in the e2e suite.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: number[], ms = 5_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(alive);
}

const missing = () => Promise.reject(Object.assign(new Error("Cannot find package '@agentclientprotocol/sdk' imported from /x.js"), { code: "ERR_MODULE_NOT_FOUND" }));

describe("gemini ACP lane", () => {
  let dir: string;
  let asm: Asm;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-sdk-gemini-"));
    asm = createAsm({ providers: [gemini()], lanes: [geminiAcpLane()] });
  });
  afterEach(async () => {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a missing or broken ACP SDK and falls back to core on auto", async () => {
    for (const [loadSdk, status] of [
      [missing, "not_installed"],
      [() => Promise.resolve({ ClientSideConnection: class {} }), "broken"],
    ] as const) {
      const kernel = createAsm({ providers: [gemini()], lanes: [geminiAcpLane({ loadSdk })] });
      expect(await kernel.providerInfo("gemini")).toMatchObject({ sdkAvailable: false, sdkUnavailableStatus: status, sdkInstallHint: expect.stringContaining("zod") });
      expect(await kernel.resolve("gemini", {})).toMatchObject({ lane: "core", laneFallbackReason: "sdk_unavailable" });
      await kernel.dispose();
    }
    expect(await asm.resolve("gemini", {})).toMatchObject({ lane: "sdk", backendName: "sdk:gemini" });
  });

  it("refuses options it cannot honour, naming them", async () => {
    for (const [key, value] of [
      ["systemPrompt", "Be brief."],
      ["cliSessionId", "11111111-2222-3333-4444-555555555555"],
      ["maxLineBytes", 1024],
    ] as const) {
      await expect(asm.query("gemini", "hi", { lane: "sdk", cwd: dir, cliPath: fakeCliPath(), [key]: value })).rejects.toMatchObject({
        code: "config_invalid",
        message: expect.stringContaining(key),
      });
    }
  });

  async function run(scenario: FakeCliScenario): Promise<{ events: AsmEvent[]; pids: number[] }> {
    const pidFile = join(dir, "pids");
    const events: AsmEvent[] = [];
    for await (const event of asm.stream("gemini", "hi", { lane: "sdk", cwd: dir, cliPath: fakeCliPath(), env: fakeCliEnv({ ...scenario, pidFile }), idleTimeoutMs: 1_500 })) {
      events.push(event);
    }
    let pids: number[] = [];
    try {
      pids = readFileSync(pidFile, "utf8").trim().split("\n").filter(Boolean).map(Number);
    } catch {
      pids = [];
    }
    return { events, pids };
  }

  for (const scenario of [
    { mode: "crash", lines: 1, exitCode: 3 },
    { mode: "hang" },
    { mode: "garbage" },
    { mode: "ignore-sigterm" },
  ] as const satisfies readonly FakeCliScenario[]) {
    it(`an agent that does not speak ACP (${scenario.mode}) ends the run with one outcome and no process left`, async () => {
      const { events, pids } = await run(scenario);
      expect(events.filter(isOutcomeEvent)).toHaveLength(1);
      expect(events.filter(isOutcomeEvent)[0]?.kind).toBe("error");
      expect(events.at(-1)?.kind).toBe("run_completed");
      expect(pids.length).toBeGreaterThan(0);
      expect(await waitGone(pids)).toEqual([]);
    }, 15_000);
  }
});
