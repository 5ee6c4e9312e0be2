import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { codex } from "@asm/codex";
import { createAsm, type Asm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codexAppServerLane } from "../src/index.js";

// Option checks and lifecycle of the Codex app-server lane. The lifecycle cases run the testkit's
// hostile fake CLI in place of `codex app-server` (it speaks no JSON-RPC: it crashes, hangs or
// prints garbage); the real app-server is driven in the e2e suite.

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

describe("codex app-server lane", () => {
  let dir: string;
  let asm: Asm;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-sdk-codex-"));
    asm = createAsm({ providers: [codex()], lanes: [codexAppServerLane()] });
  });
  afterEach(async () => {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses options it cannot honour, naming them", async () => {
    for (const [key, value] of [
      ["systemPrompt", "Be brief."],
      ["outputSchema", { type: "object" }],
      ["configOverrides", { "features.x": true }],
      ["maxLineBytes", 1024],
    ] as const) {
      await expect(asm.query("codex", "hi", { lane: "sdk", cwd: dir, cliPath: fakeCliPath(), [key]: value })).rejects.toMatchObject({
        code: "config_invalid",
        message: expect.stringContaining(key),
      });
    }
  });

  for (const scenario of [{ mode: "crash", lines: 1, exitCode: 3 }, { mode: "hang" }, { mode: "garbage" }, { mode: "ignore-sigterm" }] as const satisfies readonly FakeCliScenario[]) {
    it(`a process that does not speak JSON-RPC (${scenario.mode}) ends the run with one outcome and no process left`, async () => {
      const pidFile = join(dir, "pids");
      const events: AsmEvent[] = [];
      for await (const event of asm.stream("codex", "hi", { lane: "sdk", cwd: dir, cliPath: fakeCliPath(), env: fakeCliEnv({ ...scenario, pidFile }), idleTimeoutMs: 1_500 })) {
        events.push(event);
      }
      expect(events.filter(isOutcomeEvent)).toHaveLength(1);
      expect(events.filter(isOutcomeEvent)[0]?.kind).toBe("error");
      expect(events.every((event) => event.metadata.lane === "sdk")).toBe(true);
      const pids = readFileSync(pidFile, "utf8").trim().split("\n").filter(Boolean).map(Number);
      expect(pids.length).toBeGreaterThan(0);
      expect(await waitGone(pids)).toEqual([]);
    }, 15_000);
  }
});
