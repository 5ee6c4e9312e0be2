import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { basename, join } from "node:path";
import { RUN_FILES_PREFIX } from "./invocation-files.js";
import {
  groupMembers,
  isProcessAlive,
  listProcesses,
  processEnvironmentHas,
  processGroupOf,
  processStartTime,
  signalProcess,
  terminateGroup,
} from "./process-group.js";

/** Environment variable carrying a run's token to the CLI and everything it starts. */
export const RUN_TOKEN_ENV = "ASM_RUN_TOKEN";

/** What the registry remembers about one live process group. */
export interface GroupRecord {
  version: 1;
  /** The ASM host process that started the group. */
  hostPid: number;
  /** Start time of the host (see `processStartTime`), to tell a dead host from a recycled pid. */
  hostStartTime: string | null;
  /** The group id (the CLI's pid: it leads its own group). */
  pgid: number;
  /** Start time of the group leader, checked before anything is killed. */
  leaderStartTime: string | null;
  /** The command that was started (for reports). */
  command: string;
  /** Random token in the CLI's environment ({@link RUN_TOKEN_ENV}), inherited by its descendants. */
  token: string;
  /** The run's private file folder, removed with the group. */
  tempDir: string | null;
  /** ISO time of the spawn. */
  createdAt: string;
}

/** One group killed by {@link reapOrphans}. */
export interface ReapedGroup {
  pgid: number;
  hostPid: number;
  command: string;
  /** The processes that were signalled. */
  pids: number[];
}

/** What {@link reapOrphans} did. */
export interface ReapReport {
  reaped: ReapedGroup[];
  /** Records of dead hosts whose processes could not be verified, so nothing was killed. */
  skipped: Array<{ pgid: number; hostPid: number; reason: string }>;
}

/** Options of {@link reapOrphans} and of the registry. */
export interface GroupRegistryOptions {
  /** Base folder; defaults to `$ASM_STATE_DIR`, then `<os tmp>/asm-<user>`. */
  stateDir?: string;
  /** SIGTERM → SIGKILL grace when reaping; defaults to 1 s. */
  graceMs?: number;
}

/** The folder holding the registry files. */
export function registryDir(stateDir?: string): string {
  const base = stateDir ?? process.env.ASM_STATE_DIR ?? join(tmpdir(), `asm-${safeUser()}`);
  return join(base, "core-lane", "groups");
}

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9_.-]/g, "_");
  } catch {
    return String(process.getuid?.() ?? "user");
  }
}

let hostStartTime: string | null | undefined;

/** This process's start time, read once. */
export function currentHostStartTime(): string | null {
  if (hostStartTime === undefined) hostStartTime = processStartTime(process.pid);
  return hostStartTime;
}

/** Records a live group; returns the record's file. Never throws (the registry is best effort). */
export function registerGroup(record: GroupRecord, stateDir?: string): string | null {
  try {
    const dir = registryDir(stateDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${record.hostPid}-${record.pgid}.json`);
    writeFileSync(file, JSON.stringify(record), { mode: 0o600 });
    return file;
  } catch {
    return null;
  }
}

/** Removes a record written by {@link registerGroup}. */
export function unregisterGroup(file: string | null): void {
  if (file === null) return;
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function readRecord(file: string): GroupRecord | null {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<GroupRecord>;
    if (value.version !== 1 || typeof value.hostPid !== "number" || typeof value.pgid !== "number") return null;
    if (typeof value.token !== "string" || value.token.length < 16) return null;
    return value as GroupRecord;
  } catch {
    return null;
  }
}

function hostAlive(record: GroupRecord): boolean {
  if (record.hostPid === process.pid) {
    return record.hostStartTime === null || record.hostStartTime === currentHostStartTime();
  }
  if (!isProcessAlive(record.hostPid)) return false;
  const now = processStartTime(record.hostPid);
  // Unknown start times: assume alive rather than risk killing a live host's runs.
  return now === null || record.hostStartTime === null || now === record.hostStartTime;
}

/**
 * Processes carrying the run's token, wherever they are (Linux only: reads `/proc/<pid>/environ`).
 * Finds descendants that left the group (`setsid`) as long as they kept the environment. With
 * `leaderStartTime`, processes that started before the run's CLI (which cannot descend from it)
 * are not read, which keeps the scan to a few files.
 */
export function processesWithToken(token: string, leaderStartTime: string | null = null): number[] {
  if (process.platform !== "linux") return [];
  const since = leaderStartTime === null ? 0 : Number(leaderStartTime);
  return listProcesses()
    .filter((entry) => !entry.zombie && entry.pid !== process.pid && (entry.startTicks ?? 0) >= since)
    .filter((entry) => processEnvironmentHas(entry.pid, RUN_TOKEN_ENV, token))
    .map((entry) => entry.pid);
}

/** True when the group's leader is the very process that was recorded. */
function leaderMatches(record: Pick<GroupRecord, "pgid" | "leaderStartTime">): boolean {
  if (record.leaderStartTime === null) return false;
  return processStartTime(record.pgid) === record.leaderStartTime && processGroupOf(record.pgid) === record.pgid;
}

async function killPids(pids: number[], graceMs: number): Promise<void> {
  for (const pid of pids) signalProcess(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some((pid) => isProcessAlive(pid))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const pid of pids) if (isProcessAlive(pid)) signalProcess(pid, "SIGKILL");
}

/**
 * Kills the process groups of ASM hosts that died without cleaning up (a SIGKILLed host, a power
 * cut of the host's container). Reads the registry, and for every record whose host process is
 * gone (or whose pid now belongs to another process):
 *
 * - when the recorded group leader still runs (same pid **and** same start time, so a recycled pid
 *   is never touched), signals the whole group: SIGTERM, `graceMs`, SIGKILL;
 * - on Linux, also kills every process whose environment carries the run's token, which finds
 *   members whose leader already exited and descendants that left the group;
 * - elsewhere, when the leader is gone, kills nothing and reports the record as skipped;
 * - removes the run's private file folder and the record.
 *
 * Records of live hosts are left alone. `createCoreBackend` calls this once per process.
 *
 * @example
 * ```ts
 * const report = await reapOrphans();
 * for (const group of report.reaped) log(`killed orphaned ${group.command} (${group.pids.join(", ")})`);
 * ```
 */
export async function reapOrphans(options: GroupRegistryOptions = {}): Promise<ReapReport> {
  const report: ReapReport = { reaped: [], skipped: [] };
  const dir = registryDir(options.stateDir);
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch {
    return report;
  }
  const graceMs = options.graceMs ?? 1_000;
  for (const name of files) {
    const file = join(dir, name);
    const record = readRecord(file);
    if (record === null) {
      unregisterGroup(file);
      continue;
    }
    if (hostAlive(record)) continue;
    const leader = leaderMatches(record);
    const groupPids = leader ? groupMembers(record.pgid) : [];
    const tokenPids = processesWithToken(record.token, record.leaderStartTime);
    const pids = [...new Set([...groupPids, ...tokenPids])];
    if (!leader && process.platform !== "linux") {
      report.skipped.push({ pgid: record.pgid, hostPid: record.hostPid, reason: "group leader gone; members cannot be verified" });
    }
    if (leader) await terminateGroup(record.pgid, { graceMs });
    const rest = tokenPids.filter((pid) => isProcessAlive(pid));
    if (rest.length > 0) await killPids(rest, graceMs);
    if (pids.length > 0) report.reaped.push({ pgid: record.pgid, hostPid: record.hostPid, command: record.command, pids });
    if (record.tempDir !== null && basename(record.tempDir).startsWith(RUN_FILES_PREFIX)) {
      try {
        rmSync(record.tempDir, { recursive: true, force: true });
      } catch {
        // Left for the OS temp cleaner; the processes matter more.
      }
    }
    unregisterGroup(file);
  }
  return report;
}
