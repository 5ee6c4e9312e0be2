import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One run's process group, as recorded for the reaper. */
interface GroupRecord {
  pgid: number;
  /** Start time of the leader (field 22 of /proc/<pid>/stat), so a recycled pid is never touched. */
  start: string | null;
}

function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * The node's record of its runs' process groups (`<stateDir>/asm-node-<name>.json`), so a node
 * that was SIGKILLed kills the groups it left behind when it starts again: the CLIs survive their
 * daemon (they lead their own groups), and an idle one would wait for its model forever.
 */
export class NodeState {
  private readonly file: string;
  private readonly groups = new Map<number, GroupRecord>();

  constructor(name: string, stateDir: string = process.env.ASM_STATE_DIR ?? tmpdir()) {
    mkdirSync(stateDir, { recursive: true });
    this.file = join(stateDir, `asm-node-${name}.json`);
  }

  /** Kills the groups a previous daemon of this name left behind; returns their pgids. */
  reap(): number[] {
    let previous: GroupRecord[] = [];
    try {
      previous = (JSON.parse(readFileSync(this.file, "utf8")) as { groups?: GroupRecord[] }).groups ?? [];
    } catch {
      previous = [];
    }
    const reaped: number[] = [];
    for (const group of previous) {
      // Only when the leader is the very process recorded (Linux); elsewhere a pid may have been reused.
      if (group.start === null || startTime(group.pgid) !== group.start) continue;
      try {
        process.kill(-group.pgid, "SIGKILL");
        reaped.push(group.pgid);
      } catch {
        // Already gone.
      }
    }
    this.write();
    return reaped;
  }

  /** Records a run's group. */
  add(pgid: number): void {
    this.groups.set(pgid, { pgid, start: startTime(pgid) });
    this.write();
  }

  /** Forgets a run's group once nothing of it is left. */
  remove(pgid: number): void {
    this.groups.delete(pgid);
    this.write();
  }

  private write(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ pid: process.pid, groups: [...this.groups.values()] }));
    renameSync(temp, this.file);
  }
}
