import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { GUARDIAN_PROGRAM } from "./guardian-program.js";

/** A process group as the guardian is told about it. */
export interface GuardedGroup {
  /** The group id (the CLI's pid: it leads its own group). */
  pgid: number;
  /** The leader's start time (`processStartTime`), so a recycled pid is never signalled. */
  start: string | null;
  /** The run's environment token (local runs), to find descendants that left the group. */
  token: string | null;
  /** The run's private file folder, removed after the kill. */
  dir: string | null;
  /** The run's host-death registry record, removed after the kill. */
  record: string | null;
}

let guardian: ChildProcess | null = null;
const guarded = new Map<number, GuardedGroup>();

function write(child: ChildProcess, message: Record<string, unknown>): void {
  try {
    child.stdin?.write(`${JSON.stringify(message)}\n`);
  } catch {
    // The guardian is gone; the next registration starts another.
  }
}

function alive(child: ChildProcess | null): child is ChildProcess {
  return child !== null && child.exitCode === null && child.signalCode === null && child.stdin?.writable === true;
}

/**
 * Starts the guardian once per host (again if it died): a small Node process in a session of its
 * own, whose stdin is a pipe from this host. The host holds the only write end; when the host dies
 * by any means, SIGKILL included, the kernel closes it and the guardian kills every registered
 * group within its grace (see `GUARDIAN_PROGRAM`). Its environment is empty: it holds no secret.
 * Neither the process nor the pipe keeps the host's event loop alive.
 */
function ensureGuardian(): ChildProcess | null {
  if (alive(guardian)) return guardian;
  // `process.execPath` must be a Node that runs `-e` (in Electron it would start the app itself).
  if (process.platform === "win32" || process.release.name !== "node" || process.versions.electron !== undefined) return null;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ["-e", GUARDIAN_PROGRAM], { detached: true, stdio: ["pipe", "ignore", "ignore"], env: {}, cwd: "/" });
  } catch {
    return null;
  }
  child.on("error", () => {
    if (guardian === child) guardian = null;
  });
  child.on("exit", () => {
    if (guardian === child) guardian = null;
  });
  child.stdin?.on("error", () => undefined);
  child.unref();
  (child.stdin as Socket | null)?.unref();
  guardian = child;
  // A replacement guardian learns every group that is still live.
  for (const group of guarded.values()) write(child, { op: "add", ...group });
  return child;
}

/**
 * Puts a process group in the guardian's care; returns the function that takes it out (once the
 * group is gone). Best effort: without a guardian (Windows, a failed spawn) the exit guard and
 * the registry reaper still apply.
 */
export function guardGroup(group: GuardedGroup): () => void {
  guarded.set(group.pgid, group);
  const child = ensureGuardian();
  if (child !== null) write(child, { op: "add", ...group });
  return () => {
    if (guarded.get(group.pgid) !== group) return;
    guarded.delete(group.pgid);
    if (alive(guardian)) write(guardian, { op: "remove", pgid: group.pgid });
  };
}
