import { spawnInGroup, type GroupProcess } from "./lane-process-group.js";
import type { LaneAgent } from "./lane-session-backend.js";

/** What to start as a lane's agent. */
export interface LaneAgentCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** How the agent process ended, with the end of its stderr. */
export interface LaneAgentExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

/**
 * The process side of a long-lived SDK-lane agent (an app-server, an ACP agent): started once
 * per ASM session in a guarded process group, running one turn at a time, stopped at once
 * (`kill`) or politely (`close`: stdin, SIGTERM, SIGKILL, `closeGraceMs` apart).
 */
export abstract class LaneAgentProcess<Turn> implements LaneAgent {
  /** The agent process (set by {@link spawnAgent}). */
  protected proc!: GroupProcess;
  /** The turn running now, if any. */
  protected current: Turn | null = null;
  /** Set once the process has exited or is being stopped: no new turn may start. */
  protected dead = false;
  private closing: Promise<void> | undefined;
  private readonly abort = new AbortController();

  protected constructor(private readonly closeGraceMs: number) {}

  /** Starts the agent; `onGone` runs once it has exited, with the turn that was running then. */
  protected spawnAgent(command: LaneAgentCommand, stderrTailBytes: number, onGone: (exit: LaneAgentExit, turn: Turn | null) => void): void {
    const proc = spawnInGroup({ command: command.command, args: command.args, cwd: command.cwd, env: command.env, signal: this.abort.signal }, stderrTailBytes);
    this.proc = proc;
    void proc.gone.then((exit) => {
      this.dead = true;
      const turn = this.current;
      this.current = null;
      onGone({ ...exit, stderrTail: proc.stderrTail() }, turn);
    });
  }

  /** A turn has its outcome: the agent may take the next. */
  turnSettled(turn: Turn): void {
    if (this.current === turn) this.current = null;
  }

  /** Stops the agent at once. */
  kill(): void {
    this.dead = true;
    this.proc.killAll();
  }

  /** Ends the process: stdin closes, then SIGTERM, grace, SIGKILL to the group. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.dead = true;
    await this.proc.endGracefully(this.closeGraceMs);
    this.closed();
  }

  /** After the process is gone (close the protocol connection). */
  protected closed(): void {}
}
