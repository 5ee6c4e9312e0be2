import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/** Process groups started by this module and not yet swept. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A host that exits takes its lanes' CLIs with it; `exit` handlers must be synchronous.
  process.on("exit", () => {
    for (const pid of liveGroups) killGroup(pid, "SIGKILL");
    liveGroups.clear();
  });
}

/** What to start. */
export interface GroupSpawnOptions {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
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
  on(event: "exit" | "error", listener: (...args: never[]) => void): void;
  once(event: "exit" | "error", listener: (...args: never[]) => void): void;
  off(event: "exit" | "error", listener: (...args: never[]) => void): void;
}

/**
 * Starts an SDK lane's agent process (a CLI an SDK drives, an app-server, an ACP agent) as the
 * leader of its own process group, so that its tool subprocesses cannot outlive it. Every signal
 * goes to the whole group,
 * and once the leader exits whatever is left in the group is killed, so nothing of a run survives
 * the CLI or the host.
 */
export function spawnInGroup(options: GroupSpawnOptions, stderrTailBytes: number, onStderr?: (text: string) => void): GroupProcess {
  installExitHook();
  const env = Object.fromEntries(Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailBytes);
    onStderr?.(chunk);
  });
  const gone = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (pid !== undefined) {
        // The leader is gone: sweep its group (tool processes, grandchildren holding pipes).
        killGroup(pid, "SIGKILL");
        liveGroups.delete(pid);
      }
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
    killAll() {
      if (pid !== undefined) killGroup(pid, "SIGKILL");
    },
    on: (event, listener) => void child.on(event, listener as (...args: unknown[]) => void),
    once: (event, listener) => void child.once(event, listener as (...args: unknown[]) => void),
    off: (event, listener) => void child.off(event, listener as (...args: unknown[]) => void),
    stderrTail: () => tail,
    gone,
  };
}
