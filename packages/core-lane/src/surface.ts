import type { Readable, Writable } from "node:stream";
import type { ExecutionSurface } from "@asm/contract";

/** What to start. */
export interface SurfaceSpawnRequest {
  command: string;
  args: readonly string[];
  /** Working directory of the CLI (on the surface's host). */
  cwd: string;
  /** The CLI's complete environment. */
  env: Record<string, string>;
  /** Variables to set on a remote host (a local surface ignores this: `env` has them). */
  remoteEnv: Record<string, string>;
}

/** How the process ended. */
export interface SurfaceExit {
  exitCode: number | null;
  signal: string | null;
  /**
   * Set when the surface lost the process instead of seeing it exit (a remote node that went
   * away): the run then ends with a `transport_error` carrying this message, whatever the CLI said.
   */
  lost?: { message: string; details?: Record<string, unknown> };
}

/** A started CLI process, as the session drives it. */
export interface SurfaceProcess {
  /** Pid of the local process (the group leader of the run). */
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<SurfaceExit>;
  /** Sends a signal to every process of the run's group; resolves once it was delivered. */
  signal(signal: NodeJS.Signals): void | Promise<void>;
  /** True while any process of the run's group is alive. */
  isAlive(): boolean;
  /** Details for `BackendInfo.session` (pid, host…). */
  describe(): Record<string, unknown>;
}

/**
 * Where and how a CLI is started. The local surface spawns it in its own process group; a remote
 * surface (`ssh_exec`) would start it on another host with signals reaching the remote group.
 */
export interface SurfaceDriver {
  /** The surface kind served. */
  readonly kind: ExecutionSurface["kind"];
  /** `BackendInfo.runtime` for runs on this surface (`subprocess`). */
  readonly runtime: string;
  /**
   * Whether the CLI binary, cwd and temporary files live on this machine (local checks apply and
   * the host-death reaper can track the group).
   */
  readonly local: boolean;
  /**
   * Whether `SurfaceProcess.pid` is a process of this machine (the CLI, or the ssh client). Default
   * true. A surface whose process lives only elsewhere (a remote node reached over a message bus)
   * sets false: the host guardian then does not track the pid, and host exit signals through the
   * surface instead.
   */
  readonly localProcess?: boolean;
  /** Starts the process. Rejects with an `AsmError` (`cli_not_found`, `transport_error`). */
  spawn(request: SurfaceSpawnRequest, surface: ExecutionSurface): Promise<SurfaceProcess>;
}
