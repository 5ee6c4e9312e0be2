import { currentHostStartTime, processesWithToken, registerGroup, unregisterGroup } from "./group-registry.js";
import { guardRun } from "./host-exit-guard.js";
import { guardGroup } from "./host-guardian.js";
import type { InvocationFiles } from "./invocation-files.js";
import { isProcessAlive, processStartTime, signalGroup, signalProcess, terminateGroup } from "./process-group.js";
import type { SurfaceDriver, SurfaceExit, SurfaceProcess, SurfaceSpawnRequest } from "./surface.js";
import type { ExecutionSurface } from "@asm/contract";

/** How long SIGKILLed descendants outside the group may take to disappear. */
const ESCAPED_KILL_WAIT_MS = 5_000;

async function untilGone(pids: readonly number[], waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (!pids.some((pid) => isProcessAlive(pid))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether the group leader (the CLI) still runs. */
export type LeaderState = "running" | "exited";
/** Whether the run's process group still has members. */
export type GroupState = "present" | "terminating" | "gone";

/** What starting a run's process needs. */
export interface RunProcessSetup {
  surface: SurfaceDriver;
  request: SurfaceSpawnRequest;
  executionSurface: ExecutionSurface;
  /** The run's random token (in its environment), to find descendants that left the group. */
  token: string;
  files: InvocationFiles;
  /** Registry base folder for the host-death reaper. */
  stateDir?: string;
  /** Whether the host's exit handlers kill this run's group. */
  guardHostExit: boolean;
  /** Whether the host guardian process kills this run's group when the host dies (SIGKILL included). */
  guardian: boolean;
  /** Time between SIGTERM and SIGKILL when the group is terminated. */
  closeGraceMs: number;
}

/**
 * The process lifecycle of one run: the CLI spawned on its surface as the leader of its own
 * process group, recorded in the host-death registry and guarded by the host exit handlers;
 * terminated as a group (SIGTERM, grace, SIGKILL), with descendants that escaped the group found
 * by the run's environment token; released once gone.
 */
export class RunProcess {
  private leader: LeaderState = "running";
  private group: GroupState = "present";
  private exitResult: SurfaceExit | null = null;
  private termination: Promise<void> | null = null;
  /** Something outlived SIGKILL: its record stays so the reaper can still find it. */
  private survivors = false;
  private readonly unguard: (() => void) | null;
  private readonly unguardGroup: (() => void) | null;

  private constructor(
    /** The started process. */
    readonly proc: SurfaceProcess,
    private readonly setup: RunProcessSetup,
    private readonly registryFile: string | null,
    private readonly leaderStartTime: string | null,
  ) {
    this.unguard = setup.guardHostExit ? guardRun({ killSync: () => this.killSync() }) : null;
    // The local group leader: the CLI, or the client of a remote surface (ssh).
    this.unguardGroup =
      setup.guardian && setup.surface.localProcess !== false
      ? guardGroup({
          pgid: proc.pid,
          start: leaderStartTime ?? processStartTime(proc.pid),
          token: setup.surface.local ? setup.token : null,
          dir: setup.files.dir,
          record: registryFile,
        })
      : null;
  }

  /** Spawns the CLI. Rejects with the surface's `AsmError` when it cannot start. */
  static async start(setup: RunProcessSetup): Promise<RunProcess> {
    const proc = await setup.surface.spawn(setup.request, setup.executionSurface);
    let registryFile: string | null = null;
    let leaderStartTime: string | null = null;
    if (setup.surface.local) {
      leaderStartTime = processStartTime(proc.pid);
      registryFile = registerGroup(
        {
          version: 1,
          hostPid: process.pid,
          hostStartTime: currentHostStartTime(),
          pgid: proc.pid,
          leaderStartTime,
          command: setup.request.command,
          token: setup.token,
          tempDir: setup.files.dir,
          createdAt: new Date().toISOString(),
        },
        setup.stateDir,
      );
    }
    return new RunProcess(proc, setup, registryFile, leaderStartTime);
  }

  /** How the leader ended, once it has. */
  get exit(): SurfaceExit | null {
    return this.exitResult;
  }

  /** Whether the leader has exited. */
  get hasExited(): boolean {
    return this.leader === "exited";
  }

  /** Whether nothing of the group is left. */
  get isGone(): boolean {
    return this.group === "gone";
  }

  /** Calls `onExit` once the leader has exited. */
  watchExit(onExit: (exit: SurfaceExit) => void): void {
    void this.proc.exited.then((exit) => {
      this.leader = "exited";
      this.exitResult = exit;
      onExit(exit);
    });
  }

  /** Sends a signal to the group. */
  signal(signal: NodeJS.Signals): Promise<void> {
    return Promise.resolve(this.proc.signal(signal));
  }

  /**
   * Ends the group: SIGTERM, `closeGraceMs`, SIGKILL, then the descendants that left the group but
   * kept the run's environment. Idempotent; `onGone` runs once it is over.
   */
  terminate(onGone: () => void): Promise<void> {
    if (this.termination !== null) return this.termination;
    this.group = "terminating";
    const proc = this.proc;
    this.termination = (async () => {
      const gone = await terminateGroup(proc.pid, {
        graceMs: this.setup.closeGraceMs,
        isAlive: () => proc.isAlive(),
        signal: (signal) => proc.signal(signal),
      });
      // Descendants that left the group (setsid) but kept the run's environment: killed, and
      // waited for, so nothing of the run is alive once it has ended.
      const escaped = this.setup.surface.local ? processesWithToken(this.setup.token, this.leaderStartTime) : [];
      for (const pid of escaped) signalProcess(pid, "SIGKILL");
      const escapedGone = await untilGone(escaped, ESCAPED_KILL_WAIT_MS);
      this.survivors = !gone || !escapedGone;
      this.group = "gone";
      onGone();
    })();
    return this.termination;
  }

  /**
   * Host exit path: nothing can be awaited, so the local group (the CLI, or the ssh client of a
   * remote run) is killed outright and the run's files and record removed.
   */
  killSync(): void {
    if (this.setup.surface.localProcess === false) {
      // Nothing of the run is on this machine: ask the surface, best effort.
      void Promise.resolve(this.proc.signal("SIGKILL")).catch(() => undefined);
      this.setup.files.cleanupSync();
      return;
    }
    signalGroup(this.proc.pid, "SIGKILL");
    if (this.setup.surface.local) {
      for (const pid of processesWithToken(this.setup.token, this.leaderStartTime)) signalProcess(pid, "SIGKILL");
    }
    this.setup.files.cleanupSync();
    unregisterGroup(this.registryFile);
  }

  /** Drops the registry record and the guardian's entry (unless something survived) and the exit guard. */
  release(): void {
    if (!this.survivors) {
      unregisterGroup(this.registryFile);
      this.unguardGroup?.();
    }
    this.unguard?.();
  }
}
