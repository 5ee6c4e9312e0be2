import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const LINUX = process.platform === "linux";

/** One process as seen in the process table. */
export interface ProcessEntry {
  pid: number;
  pgid: number;
  /** True for a process that has exited but was not yet reaped by its parent. */
  zombie: boolean;
  /** Start time in clock ticks since boot (Linux only; null elsewhere). */
  startTicks: number | null;
}

function readProcStat(pid: number): { state: string; pgid: number; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses; fields resume after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const state = fields[0];
    const pgid = fields[2];
    const startTime = fields[19];
    if (state === undefined || pgid === undefined || startTime === undefined) return null;
    return { state, pgid: Number(pgid), startTime };
  } catch {
    return null;
  }
}

/** Every process in the table (Linux: `/proc`; elsewhere: `ps`). */
export function listProcesses(): ProcessEntry[] {
  if (LINUX) {
    const entries: ProcessEntry[] = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const stat = readProcStat(Number(name));
      if (stat !== null) {
        entries.push({ pid: Number(name), pgid: stat.pgid, zombie: stat.state === "Z", startTicks: Number(stat.startTime) });
      }
    }
    return entries;
  }
  try {
    const output = execFileSync("ps", ["-A", "-o", "pid=,pgid=,stat="], { encoding: "utf8" });
    return output
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length >= 3)
      .map(([pid, pgid, stat]) => ({ pid: Number(pid), pgid: Number(pgid), zombie: (stat ?? "").startsWith("Z"), startTicks: null }));
  } catch {
    return [];
  }
}

/**
 * The live members of a process group. Zombies are left out: they have exited and only wait to be
 * reaped (where the init process does not reap orphans, they linger in the table).
 */
export function groupMembers(pgid: number): number[] {
  return listProcesses()
    .filter((entry) => entry.pgid === pgid && !entry.zombie)
    .map((entry) => entry.pid);
}

/** True when any live process remains in the group. */
export function isGroupAlive(pgid: number): boolean {
  // One signal-0 answers the common case (the group is gone) without scanning /proc; only a group
  // that still exists is scanned, because zombies keep a group alive for kill() but not for us.
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return groupMembers(pgid).length > 0;
}

/** True when a process with this pid exists (and is not a zombie, where that can be told). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (LINUX) {
    const stat = readProcStat(pid);
    return stat !== null && stat.state !== "Z";
  }
  return true;
}

/**
 * Sends a signal to every process of a group. Returns false when the group no longer exists.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * An identifier of when a process started: with its pid, it names the process uniquely, so a
 * recycled pid is never mistaken for the original (Linux: clock ticks since boot from
 * `/proc/<pid>/stat`; elsewhere: `ps -o lstart`). Null when the process is gone or unreadable.
 */
export function processStartTime(pid: number): string | null {
  if (LINUX) return readProcStat(pid)?.startTime ?? null;
  try {
    const output = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return output === "" ? null : output;
  } catch {
    return null;
  }
}

/** The process group of a pid, or null when it is gone. */
export function processGroupOf(pid: number): number | null {
  if (LINUX) return readProcStat(pid)?.pgid ?? null;
  return listProcesses().find((entry) => entry.pid === pid)?.pgid ?? null;
}

/**
 * True when the process's environment holds `name=value`. Only Linux exposes another process's
 * environment cheaply (`/proc/<pid>/environ`); elsewhere this returns false.
 */
export function processEnvironmentHas(pid: number, name: string, value: string): boolean {
  if (!LINUX) return false;
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`${name}=${value}`);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of {@link terminateGroup}. */
export interface TerminateGroupOptions {
  /** Time between SIGTERM and SIGKILL. */
  graceMs: number;
  /** How long to wait for the group to disappear after SIGKILL; defaults to 5 s. */
  killWaitMs?: number;
  /** Checks whether the group still has live members; defaults to {@link isGroupAlive}. */
  isAlive?: () => boolean;
  /** Sends a signal to the group (awaited when it returns a promise); defaults to {@link signalGroup}. */
  signal?: (signal: NodeJS.Signals) => void | Promise<void>;
  /** Skip SIGTERM and kill at once. */
  immediate?: boolean;
}

/**
 * SIGTERM to the group, up to `graceMs` for it to exit, then SIGKILL, then waits for it to be gone.
 * Resolves true when the group is gone, false when something survived SIGKILL for `killWaitMs`
 * (a process stuck in the kernel).
 */
export async function terminateGroup(pgid: number, options: TerminateGroupOptions): Promise<boolean> {
  const isAlive = options.isAlive ?? (() => isGroupAlive(pgid));
  const send = options.signal ?? ((signal: NodeJS.Signals) => void signalGroup(pgid, signal));
  if (!isAlive()) return true;
  const poll = async (ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    for (;;) {
      if (!isAlive()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(20, Math.max(1, deadline - Date.now())));
    }
  };
  if (options.immediate !== true) {
    await send("SIGTERM");
    if (await poll(options.graceMs)) return true;
  }
  await send("SIGKILL");
  return poll(options.killWaitMs ?? 5_000);
}
