import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { claude } from "@asm/claude";
import { createAsm, type Asm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeSdkLane } from "../src/index.js";

// The lifecycle guarantees of the core lane, checked on the SDK lane: the real Claude Agent SDK
// spawns the testkit's hostile fake CLI (through the lane's process-group spawn) instead of
// claude. Each run ends with exactly one outcome and one run_completed, and nothing the CLI
// started is left alive.

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
  while (Date.now() < deadline) {
    if (pids.every((pid) => !alive(pid))) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids.filter(alive);
}

describe("claude sdk lane conformance with hostile CLIs", () => {
  let dir: string;
  let asm: Asm;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-sdk-claude-"));
    asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane()] });
  });

  afterEach(async () => {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(scenario: FakeCliScenario, extra: Record<string, unknown> = {}): Promise<{ events: AsmEvent[]; pids: number[] }> {
    const pidFile = join(dir, "pids");
    const events: AsmEvent[] = [];
    const stream = asm.stream("claude", "hi", {
      lane: "sdk",
      cwd: dir,
      cliPath: fakeCliPath(),
      env: fakeCliEnv({ ...scenario, pidFile }),
      idleTimeoutMs: 3_000,
      ...extra,
    });
    for await (const event of stream) events.push(event);
    let pids: number[] = [];
    try {
      pids = readFileSync(pidFile, "utf8").trim().split("\n").filter(Boolean).map(Number);
    } catch {
      pids = [];
    }
    return { events, pids };
  }

  function expectOneOutcome(events: AsmEvent[]): AsmEvent {
    const outcomes = events.filter(isOutcomeEvent);
    expect(outcomes).toHaveLength(1);
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(events.every((event) => event.metadata.lane === "sdk")).toBe(true);
    return outcomes[0] as AsmEvent;
  }

  it("a CLI that crashes mid-run ends with one transport_exit error", async () => {
    const { events, pids } = await run({ mode: "crash", lines: 2, exitCode: 3, stderrText: "boom on stderr" });
    const outcome = expectOneOutcome(events);
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "transport_exit" } });
    expect(JSON.stringify(outcome.payload)).toContain("boom on stderr");
    expect(await waitGone(pids)).toEqual([]);
  });

  it("a CLI that prints garbage ends with one outcome", async () => {
    const { events, pids } = await run({ mode: "garbage" });
    expectOneOutcome(events);
    expect(await waitGone(pids)).toEqual([]);
  });

  it("a CLI that hangs is stopped by the idle watchdog", async () => {
    const { events, pids } = await run({ mode: "hang" }, { idleTimeoutMs: 1_500 });
    const outcome = expectOneOutcome(events);
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "timeout", details: { watchdog: "idle" } } });
    expect(await waitGone(pids)).toEqual([]);
  });

  it("a CLI that ignores SIGTERM is killed", async () => {
    const { events, pids } = await run({ mode: "ignore-sigterm" }, { idleTimeoutMs: 1_500 });
    expectOneOutcome(events);
    expect(await waitGone(pids)).toEqual([]);
  });

  it("a grandchild holding stdout does not outlive the run", async () => {
    const { events, pids } = await run({ mode: "grandchild", noResult: true }, { idleTimeoutMs: 1_500 });
    expectOneOutcome(events);
    // The fake CLI reports its grandchild's pid in a line the parser keeps as a raw event.
    const grandchild = Number(/grandchild (\d+)/.exec(JSON.stringify(events))?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitGone([...pids, grandchild])).toEqual([]);
  });
});
