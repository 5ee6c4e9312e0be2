import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** One row of `ps`. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

/** Every process on the machine, from `ps -eo pid,ppid,pgid,args`. */
export function listProcesses(): ProcessRow[] {
  const output = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return output
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), args: match[4] ?? "" }));
}

/**
 * Processes whose environment carries `name=value`. Children inherit the environment, so this finds
 * a CLI and every tool it started even after they were re-parented. Needs permission to read
 * `/proc/<pid>/environ` (root, or the same user).
 */
export function processesWithEnv(name: string, value: string): ProcessRow[] {
  const needle = `${name}=${value}`;
  const tagged = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (environ.split("\0").includes(needle)) tagged.add(Number(entry));
    } catch (_error) {
      // Gone, or not ours to read.
    }
  }
  // Zombies keep no environment; a tagged pid that has exited is simply absent.
  return listProcesses().filter((row) => tagged.has(row.pid) && row.pid !== process.pid);
}

/**
 * Waits until `find` returns nothing, polling; returns what was still there at the deadline (empty
 * when everything had exited).
 */
export async function waitUntilGone(find: () => ProcessRow[], timeoutMs = 10_000): Promise<ProcessRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = find();
    if (rows.length === 0 || Date.now() >= deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The command line of a process as `/proc/<pid>/cmdline` shows it to every local user ("" once gone). */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch (_error) {
    return "";
  }
}
