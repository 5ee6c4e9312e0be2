import { Transform, type TransformCallback } from "node:stream";
import { execa } from "execa";
import { AsmError, type ExecutionSurface, type SshTransportOptions } from "@asm/contract";
import { RUN_TOKEN_ENV } from "./group-registry.js";
import { localSurface } from "./local-surface.js";
import type { SurfaceDriver, SurfaceProcess, SurfaceSpawnRequest } from "./surface.js";

const PGID_MARKER = "__ASM_REMOTE_PGID__=";

/** Quotes one word for a POSIX shell: `'…'`, with `'` written as `'"'"'`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The command line the remote shell runs. The shell that `sshd` starts for a command (without a
 * pty) leads its own session and process group; it reports its pid (= the group id) on stderr,
 * changes to `cwd`, and `exec`s the CLI, which so keeps that pid and leads the group. Every word is
 * single-quoted; variable names are reduced to `[A-Za-z0-9_]`.
 */
export function buildRemoteCommand(request: Pick<SurfaceSpawnRequest, "command" | "args" | "remoteEnv"> & { cwd: string | null }): string {
  const parts: string[] = [`printf '%s\\n' "${PGID_MARKER}$$" >&2`];
  if (request.cwd !== null && request.cwd !== "") parts.push(`cd ${shellQuote(request.cwd)}`);
  const env = Object.entries(request.remoteEnv).map(([key, value]) => shellQuote(`${key.replace(/[^A-Za-z0-9_]/g, "_")}=${value}`));
  const words = [request.command, ...request.args].map(shellQuote);
  parts.push(`exec ${env.length > 0 ? `env ${env.join(" ")} ` : ""}${words.join(" ")}`);
  return parts.join(" && ");
}

/** Reads and checks `executionSurface.transportOptions` of an `ssh_exec` surface. */
export function sshTransportOptions(surface: ExecutionSurface): SshTransportOptions {
  const options = surface.transportOptions as Partial<SshTransportOptions>;
  if (typeof options.destination !== "string" || options.destination === "") {
    throw new AsmError("config_invalid", "the ssh_exec surface needs transportOptions.destination (a host name or address)");
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65_535)) {
    throw new AsmError("config_invalid", `ssh_exec transportOptions.port must be a TCP port, got ${String(options.port)}`);
  }
  return options as SshTransportOptions;
}

/** The `ssh` arguments that run `remoteCommand` on the surface's host (no pty, batch mode by default). */
export function buildSshArgs(options: SshTransportOptions, remoteCommand: string): string[] {
  const args = ["-T"];
  if (options.port !== undefined) args.push("-p", String(options.port));
  if (options.identityFile !== undefined) args.push("-i", options.identityFile);
  args.push("-o", `BatchMode=${options.batchMode === false ? "no" : "yes"}`);
  args.push("-o", `ConnectTimeout=${options.connectTimeoutSeconds ?? 10}`);
  for (const [key, value] of Object.entries(options.options ?? {})) args.push("-o", `${key}=${value}`);
  args.push(options.user === undefined ? options.destination : `${options.user}@${options.destination}`);
  args.push("--", remoteCommand);
  return args;
}

// Strips the remote shell's pgid report from the front of stderr and hands it over.
class PgidMarkerFilter extends Transform {
  private head = "";
  private done = false;

  constructor(private readonly onPgid: (pgid: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) {
      callback(null, chunk);
      return;
    }
    this.head += chunk.toString("latin1");
    const newline = this.head.indexOf("\n");
    if (newline === -1 && this.head.length < 256) {
      callback();
      return;
    }
    this.done = true;
    const first = newline === -1 ? this.head : this.head.slice(0, newline);
    let rest = Buffer.from(this.head, "latin1");
    if (first.startsWith(PGID_MARKER)) {
      this.onPgid(Number(first.slice(PGID_MARKER.length)));
      rest = rest.subarray(newline + 1);
    }
    callback(null, rest.length > 0 ? rest : undefined);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.done || this.head === "" ? undefined : Buffer.from(this.head, "latin1"));
  }
}

/**
 * The `ssh_exec` surface: runs the CLI on another host over `ssh`, without a pty (a pty would
 * mangle the JSONL streams). The local `ssh` client leads its own process group (so the host exit
 * guard and the local token sweep cover it); on the remote host the CLI leads its own process
 * group, whose id the remote shell reports, and signals are delivered to that whole group by a
 * second `ssh` connection (`kill -s SIG -- -<pgid>`). SIGKILL also ends the local client.
 *
 * Limits: if the local client dies without ASM signalling first (a SIGKILLed host), `sshd` does
 * not signal the remote command: it keeps running until it writes to its closed output. The
 * CLI's discovery and version check do not run remotely (an explicit `cliPath` or the profile's
 * first binary name is used), and invocation files are refused (they would have to be copied).
 */
export function sshSurface(): SurfaceDriver {
  return {
    kind: "ssh_exec",
    runtime: "ssh_exec",
    local: false,
    async spawn(request: SurfaceSpawnRequest, surface: ExecutionSurface): Promise<SurfaceProcess> {
      const transport = sshTransportOptions(surface);
      const sshPath = transport.sshPath ?? "ssh";
      const remoteCommand = buildRemoteCommand({ ...request, cwd: request.cwd === "" ? null : request.cwd });
      const token = request.env[RUN_TOKEN_ENV];
      const localEnv = Object.fromEntries(
        Object.entries({ ...process.env, ...(token === undefined ? {} : { [RUN_TOKEN_ENV]: token }) }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
      const client = await localSurface.spawn(
        { command: sshPath, args: buildSshArgs(transport, remoteCommand), cwd: process.cwd(), env: localEnv, remoteEnv: {} },
        surface,
      );
      let remotePgid: number | null = null;
      const stderr = client.stderr.pipe(
        new PgidMarkerFilter((pgid) => {
          if (Number.isInteger(pgid) && pgid > 1) remotePgid = pgid;
        }),
      );
      const signalRemote = async (signal: NodeJS.Signals): Promise<void> => {
        if (remotePgid === null) return;
        const name = signal.replace(/^SIG/, "");
        const kill = `kill -s ${name} -- -${remotePgid} 2>/dev/null || kill -s ${name} ${remotePgid}`;
        await execa(sshPath, buildSshArgs(transport, kill), {
          env: localEnv,
          stdin: "ignore",
          reject: false,
          timeout: ((transport.connectTimeoutSeconds ?? 10) + 5) * 1_000,
        }).catch(() => undefined);
      };
      return {
        pid: client.pid,
        stdin: client.stdin,
        stdout: client.stdout,
        stderr,
        exited: client.exited,
        async signal(signal) {
          if (remotePgid === null) {
            // The remote shell has not reported yet: only the local client can be reached.
            client.signal(signal === "SIGINT" ? "SIGINT" : "SIGKILL");
            return;
          }
          await signalRemote(signal);
          if (signal === "SIGKILL") client.signal("SIGKILL");
        },
        isAlive() {
          return client.isAlive();
        },
        describe() {
          return { ...client.describe(), host: transport.destination, remotePgid };
        },
      };
    },
  };
}
