import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import {
  AsmError,
  type BackendEvent,
  type BackendSession,
  type BackendStartConfig,
  type Invocation,
  type InvocationInput,
  type ProviderBackend,
  type ProviderProfile,
} from "@asm/contract";
import { createRedactor, redactAsmError, secretValuesOf, type Redactor } from "@asm/provider-utils";
import { inheritedEnv } from "./child-env.js";
import { resolveCli, type ResolvedCli } from "./cli-discovery.js";
import { CoreBackendSession, type DroppedEventReason } from "./core-session.js";
import { reapOrphans, RUN_TOKEN_ENV, type ReapReport } from "./group-registry.js";
import { installHostExitGuard } from "./host-exit-guard.js";
import { writeInvocationFiles, type InvocationFiles } from "./invocation-files.js";
import { localSurface } from "./local-surface.js";
import { sshSurface } from "./ssh-surface.js";
import { parseCoreLaneRunOptions, type CoreLaneRunOptionsInput } from "./run-options.js";
import type { SurfaceDriver } from "./surface.js";
import { checkCliVersion, detectCliVersion, type CliVersionCheck } from "./version-check.js";
import { privateFilesParent } from "./private-files-dir.js";

/** Options of {@link createCoreBackend}. */
export interface CoreBackendOptions {
  /** Run-option defaults for this backend; each run's `backendOptions` win key by key. */
  defaults?: CoreLaneRunOptionsInput;
  /** Registry folder for the host-death reaper; defaults to `$ASM_STATE_DIR`, then the OS temp folder. */
  stateDir?: string;
  /** Run {@link reapOrphans} before the first start (once per process and state folder). Default true. */
  reapOrphans?: boolean;
  /** Kill live runs' groups when the host exits or gets SIGINT/SIGTERM/SIGHUP. Default true. */
  hostExitGuard?: boolean;
  /**
   * Start a guardian process that kills live runs' groups within a second of the host dying by
   * any means, SIGKILL included (POSIX). Default true.
   */
  hostGuardian?: boolean;
  /** Events queued for a slow consumer before stdout reading pauses. Default 256. */
  eventHighWater?: number;
  /** Extra or replacement surface drivers, by kind (`local` and `ssh_exec` are built in). */
  surfaces?: readonly SurfaceDriver[];
  /** Receives events dropped because they came after the run's outcome. */
  onDroppedEvent?: (event: BackendEvent, reason: DroppedEventReason, runId: string) => void;
  /**
   * Parent of the run files a CLI reads only from a folder no other user can write to (see
   * `Invocation.files[].securePath`). Default `$XDG_RUNTIME_DIR`, else `~/.cache/asm`.
   */
  privateFilesDir?: string;
}

const reaped = new Map<string, Promise<ReapReport>>();

function reapOnce(stateDir: string | undefined): Promise<ReapReport> {
  const key = stateDir ?? "";
  let pending = reaped.get(key);
  if (pending === undefined) {
    pending = reapOrphans({ stateDir }).catch(() => ({ reaped: [], skipped: [] }));
    reaped.set(key, pending);
  }
  return pending;
}

function mergeEnv(...layers: Array<Readonly<Record<string, string | undefined>> | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) env[key] = value;
  }
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

// A function, so that TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function cancelled(): AsmError {
  return new AsmError("user_cancelled", "the run was cancelled before it started");
}

/**
 * The core lane: a {@link ProviderBackend} that runs a provider's CLI as a subprocess, driven by its
 * {@link ProviderProfile}. What it guarantees (each one tested):
 *
 * - **Process groups.** The CLI leads its own process group. `interrupt()` writes the profile's
 *   interrupt line when it has a control protocol, else sends SIGINT to the group. `close()` sends
 *   SIGTERM to the group, waits `closeGraceMs`, then SIGKILL. When a run ends, nothing of its
 *   group is left; on Linux, descendants that left the group but kept the run's environment token
 *   are killed too.
 * - **Host exit.** On a normal exit, `process.exit()`, an uncaught exception, and SIGINT/SIGTERM/
 *   SIGHUP, the live groups are killed ({@link installHostExitGuard}). A SIGKILLed host cannot
 *   run code: a guardian process holding a pipe from the host kills its groups (SIGTERM, 300 ms,
 *   SIGKILL) as soon as the pipe closes, within a second. As a last resort the groups are also
 *   recorded in a registry and killed by {@link reapOrphans} when the next backend is created
 *   (after checking the group leader's start time, so a recycled pid is never touched).
 * - **Completion** comes from the parser's outcome event (`result` or a terminal `error`), then
 *   `completionGraceMs` for the CLI to exit by itself, then close — never from EOF alone, so a
 *   grandchild holding stdout or a CLI waiting on stdin cannot hang the run.
 * - **Exactly one outcome** per run: from the CLI, else from `parser.exit()`, else synthesized
 *   from the exit (`transport_exit` with the stderr tail, `cli_not_found`, `auth_error`,
 *   `rate_limit`, `quota_exhausted`; a clean exit 0 becomes a synthetic `result`). Later events
 *   are dropped. `events()` ends after the outcome, once the group is gone.
 * - **Watchdogs**: no output for `idleTimeoutMs`, or `wallTimeoutMs` in total → `timeout` error
 *   (`details.watchdog` says which) and the group is killed.
 * - **Framing**: lines of any size up to `maxLineBytes`; past it a `buffer_overflow` error, never
 *   a truncated line. A slow consumer pauses stdout reading instead of growing a buffer.
 *
 * @example
 * ```ts
 * const backend = createCoreBackend(claudeProfile);
 * const run = await backend.start({ ...config, backendOptions: { idleTimeoutMs: 60_000 } });
 * for await (const event of run.events()) console.log(event.kind);
 * await run.close();
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any profile: the kernel validated its options
export function createCoreBackend(profile: ProviderProfile<any>, options: CoreBackendOptions = {}): ProviderBackend {
  const surfaces = new Map<string, SurfaceDriver>([
    ["local", localSurface],
    ["ssh_exec", sshSurface()],
  ]);
  for (const surface of options.surfaces ?? []) surfaces.set(surface.kind, surface);
  const reapPending = options.reapOrphans === false ? Promise.resolve(null) : reapOnce(options.stateDir);
  const guard = options.hostExitGuard !== false;
  if (guard) installHostExitGuard();

  return {
    specificationVersion: "v1",
    name: `core:${profile.id}`,
    async start(config: BackendStartConfig): Promise<BackendSession> {
      // Errors carry what the CLI printed and the options: redacted like the events.
      let redactor = createRedactor({ secrets: secretValuesOf(process.env) });
      try {
        return await startRun(config, (next) => (redactor = next));
      } catch (error) {
        throw AsmError.isInstance(error) ? redactAsmError(error, redactor) : error;
      }
    },
  };

  async function startRun(config: BackendStartConfig, useRedactor: (redactor: Redactor) => void): Promise<BackendSession> {
    await reapPending;
    const runOptions = parseCoreLaneRunOptions(config.backendOptions, options.defaults);
    const secretNames = runOptions.secretEnv ?? [];
    useRedactor(createRedactor({ secrets: [...secretValuesOf(process.env, secretNames), ...secretValuesOf(runOptions.env ?? {}, secretNames)] }));
    if (isAborted(config.signal)) throw cancelled();

    const surfaceKind = config.execution.executionSurface.kind;
    const surface = surfaces.get(surfaceKind);
    if (surface === undefined) {
      throw new AsmError("unsupported", `the core lane cannot run on the ${surfaceKind} surface (available: ${[...surfaces.keys()].join(", ")})`);
    }

    // A remote surface without a working directory runs in the remote user's home.
    const cwd = runOptions.cwd ?? config.execution.executionEnvironment.workspaceRoot ?? (surface.local ? process.cwd() : "");
    if (surface.local) {
      let isDir = false;
      try {
        isDir = statSync(cwd).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new AsmError("config_invalid", `working directory ${cwd} does not exist or is not a folder`, { details: { cwd } });
    }

    // Other vendors' credentials stay behind unless the caller passes them in `env`.
    const baseEnv = mergeEnv(inheritedEnv(process.env, profile.credentialEnv), runOptions.env);
    let cli: ResolvedCli;
    if (surface.local) {
      cli = resolveCli(profile.cli, { cliPath: runOptions.cliPath, env: baseEnv, cwd });
    } else {
      const command = runOptions.cliPath ?? profile.cli.binaryNames[0];
      if (command === undefined) throw new AsmError("config_invalid", `the ${profile.id} profile names no binary`);
      cli = { command, prefixArgs: [], path: command, source: runOptions.cliPath === undefined ? "path" : "option" };
    }

    let version: CliVersionCheck | null = null;
    if (runOptions.checkVersion && surface.local) {
      version = checkCliVersion(await detectCliVersion(cli, profile.cli, { env: baseEnv, cwd }), profile.cli);
    }
    if (isAborted(config.signal)) throw cancelled();

    const hostTools = config.hostTools;
    if (hostTools !== undefined) {
      // The tools are served on this host's loopback: a remote CLI could not reach them.
      if (!surface.local) throw new AsmError("config_invalid", `host tools cannot reach a CLI on the ${surfaceKind} surface`, { details: { key: "hostTools" } });
      if (profile.hostTools === undefined) {
        throw new AsmError("config_invalid", `the ${profile.id} profile cannot hand MCP servers to its CLI, so it cannot take host tools`, { details: { key: "hostTools" } });
      }
    }
    const invocationInput: InvocationInput = {
      prompt: config.prompt,
      options: config.providerOptions,
      permissionMode: config.permissionMode,
      nativePermissionMode: config.nativePermissionMode,
      continuation: config.continuation,
      maxArgvPromptBytes: runOptions.maxArgvPromptBytes,
      ...(hostTools === undefined ? {} : { hostTools }),
    };
    let invocation: Invocation;
    try {
      invocation = profile.buildInvocation(invocationInput);
    } catch (error) {
      throw AsmError.from(error, "config_invalid", { provider: config.provider });
    }

    if (!surface.local && (invocation.files ?? []).length > 0) {
      throw new AsmError("unsupported", `the ${surfaceKind} surface cannot take invocation files yet; keep the prompt under maxArgvPromptBytes or send it on stdin`);
    }
    const needsSecurePath = (invocation.files ?? []).some((file) => file.securePath === true);
    const files: InvocationFiles = writeInvocationFiles(invocation.files, needsSecurePath ? { tmpDir: privateFilesParent(options.privateFilesDir) } : {});
    try {
      // The profile owns the command line, `extraArgs` included (decision 0008): the lane adds only
      // the shim's prefix and the paths of the invocation's files.
      const args = [...cli.prefixArgs, ...files.substitute(invocation.args)];
      const token = randomBytes(16).toString("hex");
      // File tokens may appear in variables too (Gemini takes its system prompt file from GEMINI_SYSTEM_MD).
      const invocationEnv = Object.fromEntries(
        Object.entries(invocation.env).map(([key, value]) => [key, value === undefined ? undefined : files.substitute([value])[0]]),
      );
      // The host tools token goes in the environment (never the command line) for CLIs that read it from there.
      const hostToolsEnv = hostTools === undefined ? {} : { [hostTools.bearerTokenEnv]: hostTools.bearerToken };
      const env = mergeEnv(baseEnv, invocationEnv, hostToolsEnv, { [RUN_TOKEN_ENV]: token });
      const remoteEnv = mergeEnv(runOptions.env, invocationEnv);
      // Every secret the CLI was given (the profile may add one, Claude's auth token) or the host holds.
      const redactor = createRedactor({
        secrets: [
          ...secretValuesOf(process.env, secretNames),
          ...secretValuesOf(env, secretNames),
          ...secretValuesOf(remoteEnv, secretNames),
          ...(hostTools === undefined ? [] : [{ value: hostTools.bearerToken, name: hostTools.bearerTokenEnv }]),
          // What the host redacts too: every event leaves this lane redacted with them (info().redactsEvents).
          ...(config.redactSecrets ?? []),
        ],
      });
      useRedactor(redactor);
      const session = await CoreBackendSession.start({
        profile,
        config,
        options: runOptions,
        cli,
        invocation,
        invocationInput,
        files,
        surface,
        args,
        env,
        remoteEnv,
        cwd,
        token,
        version,
        redactor,
        highWater: options.eventHighWater ?? 256,
        stateDir: options.stateDir,
        guardHostExit: guard,
        guardian: options.hostGuardian !== false,
        onDroppedEvent:
          options.onDroppedEvent === undefined
            ? undefined
            : (event, reason) => options.onDroppedEvent?.(event, reason, config.runId),
      });
      if (config.signal !== undefined) {
        const signal = config.signal;
        const onAbort = () => void session.close();
        if (signal.aborted) {
          await session.close();
          throw cancelled();
        }
        signal.addEventListener("abort", onAbort, { once: true });
        void session.whenFinished().then(() => signal.removeEventListener("abort", onAbort));
      }
      return session;
    } catch (error) {
      await files.cleanup();
      throw error;
    }
  }
}
