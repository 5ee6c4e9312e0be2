import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { currentHostStartTime, processesWithToken, registerGroup, RUN_TOKEN_ENV, unregisterGroup } from "./group-registry.js";
import { guardRun, installHostExitGuard } from "./host-exit-guard.js";
import { guardGroup } from "./host-guardian.js";
import { processStartTime, signalProcess } from "./process-group.js";

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts a started group under the same three guards as a core-lane run: the host's exit handlers
 * (a normal exit, SIGINT/SIGTERM/SIGHUP), the guardian process (the host SIGKILLed), and the
 * registry record (reaped by the next backend when even the guardian is gone). Descendants that
 * left the group are found by the run token in their environment. Returns the function that
 * kills what is left and drops every guard, once the leader has exited.
 */
function guardLaneGroup(pid: number, command: string, token: string, stateDir: string | undefined): () => void {
  const leaderStartTime = processStartTime(pid);
  const record = registerGroup(
    { version: 1, hostPid: process.pid, hostStartTime: currentHostStartTime(), pgid: pid, leaderStartTime, command, token, tempDir: null, createdAt: new Date().toISOString() },
    stateDir,
  );
  const killEscaped = () => {
    for (const escaped of processesWithToken(token, leaderStartTime)) signalProcess(escaped, "SIGKILL");
  };
  installHostExitGuard();
  const unguardRun = guardRun({
    killSync: () => {
      killGroup(pid, "SIGKILL");
      killEscaped();
      unregisterGroup(record);
    },
  });
  const unguardGroup = guardGroup({ pgid: pid, start: leaderStartTime, token, dir: null, record });
  let released = false;
  return () => {
    if (released) return;
    released = true;
    killGroup(pid, "SIGKILL");
    killEscaped();
    unregisterGroup(record);
    unguardGroup();
    unguardRun();
  };
}

/** What to start. */
export interface GroupSpawnOptions {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  /** Registry base folder for the host-death reaper (as `CoreBackendOptions.stateDir`). */
  stateDir?: string;
}

/** An agent process started by {@link spawnInGroup} (shaped so a vendor SDK can take it as its own spawn). */
export interface GroupProcess {
  stdin: Writable;
  stdout: Readable;
  readonly killed: boolean;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): boolean;
  readonly pid: number | undefined;
  /** The last bytes of stderr (for classifying a crash). */
  stderrTail(): string;
  /** Resolves once the CLI has exited and its group has been swept. */
  readonly gone: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to every process of the group, now. */
  killAll(): void;
  /**
   * Ends the agent the polite way first: stdin closes (an agent's cue to exit), then after
   * `graceMs` SIGTERM to the group, then after `graceMs` more SIGKILL. Resolves once it is gone.
   */
  endGracefully(graceMs: number): Promise<void>;
  on(event: "exit" | "error", listener: (...args: never[]) => void): void;
  once(event: "exit" | "error", listener: (...args: never[]) => void): void;
  off(event: "exit" | "error", listener: (...args: never[]) => void): void;
}

/**
 * Starts an SDK lane's agent process (a CLI an SDK drives, an app-server, an ACP agent) as the
 * leader of its own process group, so that its tool subprocesses cannot outlive it. Every signal
 * goes to the whole group, and once the leader exits whatever is left in the group is killed. The
 * group is guarded like a core-lane run's: the host's exit handlers, the guardian process (which
 * outlives a SIGKILLed host) and the host-death registry all know it, so nothing of a run survives
 * the CLI or the host.
 */
export function spawnInGroup(options: GroupSpawnOptions, stderrTailBytes: number, onStderr?: (text: string) => void): GroupProcess {
  // The token marks every descendant, so one that leaves the group (setsid) is still found.
  const token = randomBytes(16).toString("hex");
  const env = Object.fromEntries(Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  env[RUN_TOKEN_ENV] = token;
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const pid = child.pid;
  const release = pid === undefined ? null : guardLaneGroup(pid, options.command, token, options.stateDir);
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailBytes);
    onStderr?.(chunk);
  });
  const gone = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      // The leader is gone: sweep its group (tool processes, grandchildren holding pipes).
      release?.();
      resolve({ exitCode, signal });
    };
    child.once("exit", finish);
    child.once("error", () => finish(child.exitCode, child.signalCode));
  });
  const onAbort = () => {
    if (pid !== undefined) killGroup(pid, "SIGTERM");
  };
  options.signal.addEventListener("abort", onAbort, { once: true });
  void gone.then(() => options.signal.removeEventListener("abort", onAbort));

  const exitedWithin = (ms: number) => Promise.race([gone.then(() => true), delay(ms).then(() => false)]);
  const killAll = () => {
    if (pid !== undefined) killGroup(pid, "SIGKILL");
  };
  return {
    pid,
    stdin: child.stdin!,
    stdout: child.stdout!,
    get killed() {
      return child.killed;
    },
    get exitCode() {
      return child.exitCode;
    },
    get signalCode() {
      return child.signalCode;
    },
    kill(signal) {
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return child.kill(signal);
      return killGroup(pid, signal) || child.kill(signal);
    },
    killAll,
    async endGracefully(graceMs) {
      child.stdin?.end();
      if (!(await exitedWithin(graceMs))) {
        if (pid === undefined) child.kill("SIGTERM");
        else killGroup(pid, "SIGTERM");
      }
      if (!(await exitedWithin(graceMs))) killAll();
      await gone;
    },
    on: (event, listener) => void child.on(event, listener as (...args: unknown[]) => void),
    once: (event, listener) => void child.once(event, listener as (...args: unknown[]) => void),
    off: (event, listener) => void child.off(event, listener as (...args: unknown[]) => void),
    stderrTail: () => tail,
    gone,
  };
}
