import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { reapOrphans, registerGroup, registryDir } from "./group-registry.js";
import { processStartTime } from "./process-group.js";
import { eventually, isLive, livePidsOfGroup, testStateDir } from "./__fixtures__/harness.js";

const packageRoot = fileURLToPath(new URL("../", import.meta.url));
const outDir = join(packageRoot, "node_modules", ".cache", "asm-core-lane-host");
const hostScript = join(outDir, "host-process.mjs");
const stateDir = testStateDir();
const started: ChildProcess[] = [];
const strays: number[] = [];

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  // Bundle the host program (and the lane's sources) so a plain `node` can run it.
  await build({
    entry: { "host-process": fileURLToPath(new URL("./__fixtures__/host-process.ts", import.meta.url)) },
    outDir,
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    platform: "node",
    target: "node20",
    config: false,
    dts: false,
    sourcemap: false,
    splitting: false,
    clean: false,
    silent: true,
    noExternal: ["@asm/contract"],
    external: ["execa", "zod"],
    esbuildOptions(options) {
      options.conditions = ["@asm/source"];
    },
  });
}, 60_000);

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const pid of strays) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  rmSync(stateDir, { recursive: true, force: true });
});

interface HostRun {
  host: ChildProcess;
  pgid: number;
  grandchild: number;
  /** Every pid the host's runs started. */
  pids: number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lines: ReturnType<typeof createInterface>;
}

async function startHost(
  action: "wait" | "exit" | "throw" | "reject" | "own-sigint",
  extra: { guardian?: boolean; moreRuns?: Array<Record<string, string>> } = {},
): Promise<HostRun> {
  const host = spawn(process.execPath, [hostScript], {
    env: {
      ...process.env,
      HOST_CONFIG: JSON.stringify({
        cliPath: fakeCliPath(),
        env: fakeCliEnv({ mode: "grandchild", stayAlive: true, noResult: true }),
        stateDir,
        action,
        ...extra,
      }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(host);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    host.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const stderr: string[] = [];
  host.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: host.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then(() => `host exited early: ${stderr.join("")}`),
  ]);
  const report = JSON.parse(first.startsWith("{") ? first : "null") as { pgid: number; grandchild: number; pids: number[] } | null;
  if (report === null) throw new TypeError(first);
  strays.push(...report.pids);
  return { host, pgid: report.pgid, grandchild: report.grandchild, pids: report.pids, exited, lines };
}

const groupGone = (run: HostRun) => () => livePidsOfGroup(run.pgid).length === 0 && !isLive(run.grandchild);

describe("host death", { timeout: 30_000 }, () => {
  it("without the guardian, a SIGKILLed host leaves its group behind; reapOrphans kills it and removes the record", async () => {
    const run = await startHost("wait", { guardian: false });
    expect(livePidsOfGroup(run.pgid)).toContain(run.grandchild);
    expect(readdirSync(registryDir(stateDir))).toContain(`${run.host.pid}-${run.pgid}.json`);
    run.host.kill("SIGKILL");
    await run.exited;
    // Nothing can run in a SIGKILLed process: the CLI and its grandchild are orphans now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(livePidsOfGroup(run.pgid).length).toBeGreaterThan(0);

    const report = await reapOrphans({ stateDir, graceMs: 300 });
    expect(report.reaped).toEqual([expect.objectContaining({ pgid: run.pgid, hostPid: run.host.pid, pids: expect.arrayContaining([run.pgid, run.grandchild]) })]);
    expect(groupGone(run)()).toBe(true);
    expect(readdirSync(registryDir(stateDir))).not.toContain(`${run.host.pid}-${run.pgid}.json`);
  }, 30_000);

  it.each(["exit", "throw", "reject"] as const)("a host that ends by %s kills its runs' groups", async (action) => {
    const run = await startHost(action);
    const exit = await run.exited;
    expect(exit.code).toBe(action === "exit" ? 0 : 1);
    expect(await eventually(groupGone(run))).toBe(true);
    expect(existsSync(join(registryDir(stateDir), `${run.host.pid}-${run.pgid}.json`))).toBe(false);
  }, 30_000);

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("a host that gets %s kills its runs' groups and still dies of the signal", async (signal) => {
    const run = await startHost("wait");
    run.host.kill(signal);
    expect(await run.exited).toEqual({ code: null, signal });
    expect(await eventually(groupGone(run))).toBe(true);
  }, 30_000);
});

describe("host guardian", { timeout: 30_000 }, () => {
  it("kills every group of a SIGKILLed host, SIGTERM-deaf CLIs and escaped grandchildren included, and removes their records", async () => {
    const run = await startHost("wait", {
      moreRuns: [
        fakeCliEnv({ mode: "ignore-sigterm" }),
        fakeCliEnv({ mode: "ignore-sigterm" }),
        fakeCliEnv({ mode: "grandchild", stayAlive: true, noResult: true, grandchildLeavesGroup: true }),
        fakeCliEnv({ mode: "hang", textFirst: "hanging" }),
      ],
    });
    // Five CLIs and two grandchildren, one of which left the group (setsid).
    expect(run.pids).toHaveLength(7);
    expect(run.pids.every((pid) => isLive(pid))).toBe(true);
    run.host.kill("SIGKILL");
    expect(await run.exited).toEqual({ code: null, signal: "SIGKILL" });
    // No reaper runs here: only the guardian can have killed them. Polled, not timed (the
    // figure is measured by the benchmark).
    expect(await eventually(() => run.pids.every((pid) => !isLive(pid)), 10_000)).toBe(true);
    expect(await eventually(() => !readdirSync(registryDir(stateDir)).some((name) => name.startsWith(`${run.host.pid}-`)))).toBe(true);
  }, 30_000);
});

describe("a host with its own signal handler", { timeout: 30_000 }, () => {
  it("keeps control on SIGINT: its runs live until it exits, then the exit handler kills them", async () => {
    const run = await startHost("own-sigint");
    const handled = new Promise<string>((resolve) => run.lines.once("line", resolve));
    run.host.kill("SIGINT");
    expect(JSON.parse(await handled)).toMatchObject({ handled: "SIGINT" });
    // The host's handler is still running: the guard must not have killed the group.
    expect(livePidsOfGroup(run.pgid)).toContain(run.grandchild);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(await eventually(groupGone(run))).toBe(true);
  }, 30_000);
});

describe("reapOrphans safety", { timeout: 30_000 }, () => {
  it("never kills a process whose pid matches a record but whose start time does not", async () => {
    // A live process group that ASM did not start, recorded as if a dead host had started it
    // (what a recycled pid looks like to the reaper).
    const stranger = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { detached: true, stdio: "ignore" });
    started.push(stranger);
    const pid = stranger.pid as number;
    strays.push(pid);
    const deadHost = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => deadHost.once("exit", resolve));
    await eventually(() => processStartTime(pid) !== null);
    const common = {
      version: 1 as const,
      hostPid: deadHost.pid as number,
      hostStartTime: "1",
      pgid: pid,
      command: "asm-fake-cli",
      token: "0123456789abcdef0123456789abcdef",
      tempDir: null,
      createdAt: new Date().toISOString(),
    };
    registerGroup({ ...common, leaderStartTime: `${processStartTime(pid)}0` }, stateDir);
    const report = await reapOrphans({ stateDir, graceMs: 100 });
    expect(report.reaped).toEqual([]);
    expect(isLive(pid)).toBe(true);
    expect(readdirSync(registryDir(stateDir))).toEqual([]);

    // The same record with the real start time is the group ASM started: it goes.
    registerGroup({ ...common, leaderStartTime: processStartTime(pid) }, stateDir);
    const second = await reapOrphans({ stateDir, graceMs: 100 });
    expect(second.reaped.map((group) => group.pgid)).toEqual([pid]);
    expect(await eventually(() => !isLive(pid))).toBe(true);
  });

  it("leaves the records of live hosts alone", async () => {
    const file = registerGroup(
      {
        version: 1,
        hostPid: process.pid,
        hostStartTime: processStartTime(process.pid),
        pgid: 999_999_999,
        leaderStartTime: "1",
        command: "x",
        token: "fedcba9876543210fedcba9876543210",
        tempDir: null,
        createdAt: new Date().toISOString(),
      },
      stateDir,
    );
    const report = await reapOrphans({ stateDir });
    expect(report).toEqual({ reaped: [], skipped: [] });
    expect(existsSync(file as string)).toBe(true);
    rmSync(file as string);
  });
});
