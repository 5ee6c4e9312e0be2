import { Transform, type TransformCallback } from "node:stream";
import { execa } from "execa";
import { AsmError, type ExecutionSurface, type SshTransportOptions } from "@asm/contract";
import { RUN_TOKEN_ENV } from "./group-registry.js";
import { localSurface } from "./local-surface.js";
import type { SurfaceDriver, SurfaceExit, SurfaceProcess, SurfaceSpawnRequest } from "./surface.js";

const PGID_MARKER = "__ASM_REMOTE_PGID__=";

/** Quotes one word for a POSIX shell: `'…'`, with `'` written as `'"'"'`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The command line the remote shell runs. The shell that `sshd` starts for a command (without a
 * pty) leads its own session and process group; it changes to `cwd`, reports its pid (= the group
 * id) on stderr, and `exec`s the CLI, which so keeps that pid and leads the group. The report
 * comes after `cd` on purpose: it also tells ASM that the CLI is about to start, so a failure
 * before it (ssh itself, a missing folder) is known not to be the CLI's. Every word is
 * single-quoted; variable names are reduced to `[A-Za-z0-9_]`.
 */
export function buildRemoteCommand(request: Pick<SurfaceSpawnRequest, "command" | "args" | "remoteEnv"> & { cwd: string | null }): string {
  const parts: string[] = [];
  if (request.cwd !== null && request.cwd !== "") parts.push(`cd ${shellQuote(request.cwd)}`);
  parts.push(`printf '%s\\n' "${PGID_MARKER}$$" >&2`);
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

// Stderr lines before the report are kept for classification up to this many characters; a
// report not seen by then is not looked for any more (the stream passes through unchanged).
const PREAMBLE_LIMIT = 8_192;

// Strips the remote shell's pgid report from stderr and hands it over. Lines before it (an ssh
// error, a failed `cd`, output of the remote shell's start-up files) pass through and are kept.
class PgidMarkerFilter extends Transform {
  private head = "";
  private done = false;
  private passed = "";

  constructor(private readonly onPgid: (pgid: number) => void) {
    super();
  }

  /** What stderr held before the report (everything so far when there was none). */
  preamble(): string {
    return this.passed + this.head;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) {
      callback(null, chunk);
      return;
    }
    this.head += chunk.toString("latin1");
    let out = "";
    for (let newline = this.head.indexOf("\n"); newline !== -1 && !this.done; newline = this.head.indexOf("\n")) {
      const line = this.head.slice(0, newline);
      this.head = this.head.slice(newline + 1);
      if (line.startsWith(PGID_MARKER)) {
        this.done = true;
        this.onPgid(Number(line.slice(PGID_MARKER.length)));
      } else {
        out += `${line}\n`;
        this.passed += `${line}\n`;
      }
    }
    if (!this.done && this.passed.length + this.head.length >= PREAMBLE_LIMIT) {
      this.done = true;
      out += this.head;
      this.passed += this.head;
      this.head = "";
    }
    if (this.done && this.head !== "") {
      out += this.head;
      this.head = "";
    }
    callback(null, out === "" ? undefined : Buffer.from(out, "latin1"));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.head === "" ? undefined : Buffer.from(this.head, "latin1"));
  }
}

/**
 * How a remote command that ended before the shell's report failed, when that failure is the
 * surface's rather than the CLI's: ssh's own exit 255 (refused, unreachable, not authorized, host
 * key) is `connection_failed`; a failed `cd` is `config_invalid`. Null for anything else, which the
 * run classifies from the exit as usual.
 */
export function classifyRemoteStartFailure(
  exit: SurfaceExit,
  preamble: string,
  context: { host: string; cwd: string | null },
): AsmError | null {
  const stderrTail = preamble.trim();
  const details = { host: context.host, exitCode: exit.exitCode, signal: exit.signal, stderrTail };
  if (exit.exitCode === 255) {
    return new AsmError("connection_failed", `ssh to ${context.host} failed${stderrTail === "" ? "" : `: ${stderrTail}`}`, { details });
  }
  // Shells word it differently (bash `cd: X: No such…`, dash `cd: can't cd to X`, zsh `zsh:cd:1: …`).
  const cdFailure = /^.*\bcd\b.*$/m.exec(preamble);
  if (cdFailure !== null && context.cwd !== null) {
    return new AsmError("config_invalid", `cannot use working directory ${context.cwd} on ${context.host}: ${cdFailure[0].trim()}`, {
      details: { ...details, cwd: context.cwd },
    });
  }
  return null;
}

/**
 * The `ssh_exec` surface: runs the CLI on another host over `ssh`, without a pty (a pty would
 * mangle the JSONL streams). The local `ssh` client leads its own process group (so the host exit
 * guard and the local token sweep cover it); on the remote host the CLI leads its own process
 * group, whose id the remote shell reports, and signals are delivered to that whole group by a
 * second `ssh` connection (`kill -s SIG -- -<pgid>`). SIGKILL also ends the local client.
 *
 * `spawn` resolves once the remote shell has reported (it does so right before starting the CLI).
 * When the command ends before that, `spawn` rejects with the surface's own failure: ssh's exit 255
 * as `connection_failed`, a working directory it cannot change to as `config_invalid` — the CLI
 * never ran, so its profile must not classify the exit. Without a report within the connect
 * timeout plus 10 s, the run goes on and its exit is classified as usual.
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
      const cwd = request.cwd === "" ? null : request.cwd;
      const remoteCommand = buildRemoteCommand({ ...request, cwd });
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
      let isReported = false;
      let reported: () => void = () => undefined;
      const report = new Promise<"reported">((resolve) => {
        reported = () => resolve("reported");
      });
      const filter = new PgidMarkerFilter((pgid) => {
        if (Number.isInteger(pgid) && pgid > 1) remotePgid = pgid;
        isReported = true;
        reported();
      });
      const stderrEnded = new Promise<void>((resolve) => {
        client.stderr.once("end", resolve);
        client.stderr.once("close", resolve);
      });
      const stderr = client.stderr.pipe(filter);

      // Wait for the remote shell's report, so that a failure before the CLI starts is reported
      // as the surface's own (the CLI's parser would otherwise take it for a failed CLI). The wait
      // is bounded: without a report in time, the run goes on and its exit is classified as usual.
      let deadline: NodeJS.Timeout | undefined;
      const started = await Promise.race([
        report,
        client.exited,
        new Promise<"late">((resolve) => {
          deadline = setTimeout(() => resolve("late"), ((transport.connectTimeoutSeconds ?? 10) + 10) * 1_000);
        }),
      ]);
      clearTimeout(deadline);
      if (typeof started === "object") {
        // Ended before the report was read: let the rest of its stderr arrive (briefly); if the
        // report is not in it, the CLI never started.
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([stderrEnded, new Promise<void>((resolve) => (grace = setTimeout(resolve, 1_000)))]);
        clearTimeout(grace);
        const failure = isReported ? null : classifyRemoteStartFailure(started, filter.preamble(), { host: transport.destination, cwd });
        if (failure !== null) {
          client.stdout.destroy();
          stderr.destroy();
          client.stdin.destroy();
          throw failure;
        }
      }
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
            await client.signal(signal === "SIGINT" ? "SIGINT" : "SIGKILL");
            return;
          }
          await signalRemote(signal);
          if (signal === "SIGKILL") await client.signal("SIGKILL");
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
