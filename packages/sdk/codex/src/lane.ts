import { statSync } from "node:fs";
import { AsmError, type BackendSession, type BackendStartConfig, type Capability, type LaneFeatures, type ProviderBackend, type SdkLaneDefinition } from "@asm/contract";
import { codexProfile } from "@asm/codex";
import { resolveCli } from "@asm/core-lane";
import { AppServer } from "./internal/app-server.js";
import { parseAppServerRunOptions } from "./internal/run-options.js";

/** What the Codex app-server lane can do, as capability names. */
export const CODEX_APP_SERVER_CAPABILITIES: readonly Capability[] = ["streaming", "tools", "approval", "interrupt", "resume", "reasoning", "multi_turn"];

/** The Codex app-server lane's native features. */
export const CODEX_APP_SERVER_FEATURES: LaneFeatures = {
  approvals: "callback",
  interrupt: "graceful",
  partialText: true,
  structuredOutput: false,
  setModel: false,
  setPermissionMode: false,
  resume: true,
  fork: false,
  mcpInline: false,
  longLivedProcess: true,
};

/** Codex options this lane honours (the others fail with `config_invalid`). */
const HONOURED = new Set(["model", "sandbox", "skipGitRepoCheck", "cliPath", "cwd", "env", "idleTimeoutMs", "wallTimeoutMs"]);

function mergeEnv(...layers: Array<Readonly<Record<string, string | undefined>> | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const layer of layers) if (layer !== undefined) Object.assign(env, layer);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function threadParams(config: BackendStartConfig): Record<string, unknown> {
  for (const [key, value] of Object.entries(config.providerOptions)) {
    if (value === undefined || HONOURED.has(key) || (Array.isArray(value) && value.length === 0)) continue;
    throw new AsmError("config_invalid", `the codex app-server lane cannot honour ${key}`, { provider: "codex", details: { key } });
  }
  const options = config.providerOptions as { model?: string; sandbox?: string };
  const bypass = config.permissionMode === "bypass";
  return {
    ...(options.model === undefined ? {} : { model: options.model }),
    // app-server can stop and ask: in the default mode every untrusted command is asked for.
    approvalPolicy: bypass ? "never" : "untrusted",
    sandbox: bypass ? "danger-full-access" : (options.sandbox ?? "workspace-write"),
  };
}

function createAppServerBackend(): ProviderBackend {
  const live = new Map<string, AppServer>();
  return {
    specificationVersion: "v1",
    name: "sdk:codex",
    async start(config: BackendStartConfig): Promise<BackendSession> {
      if (config.execution.executionSurface.kind !== "local") {
        throw new AsmError("unsupported", "the codex app-server lane runs locally only", { provider: "codex", details: { key: "executionSurface" } });
      }
      const runOptions = parseAppServerRunOptions(config.backendOptions);
      const params = threadParams(config);
      const cwd = runOptions.cwd ?? config.execution.executionEnvironment.workspaceRoot ?? process.cwd();
      let isDir = false;
      try {
        isDir = statSync(cwd).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new AsmError("config_invalid", `working directory ${cwd} does not exist or is not a folder`, { details: { cwd } });
      if (config.continuation?.strategy === "latest") {
        throw new AsmError("unsupported", "the codex app-server lane resumes a thread by id only", { provider: "codex", details: { key: "continuation" } });
      }
      const resume = config.continuation?.strategy === "exact" ? config.continuation.providerSessionId : undefined;
      const env = mergeEnv(process.env, runOptions.env);
      const cli = resolveCli(codexProfile.cli, { cliPath: runOptions.cliPath, env, cwd });
      const args = [...cli.prefixArgs, "app-server"];
      const processKey = JSON.stringify({ command: cli.command, params, cwd, env: runOptions.env });
      let server = live.get(config.sessionId);
      if (server !== undefined && !server.accepts(processKey, resume)) {
        live.delete(config.sessionId);
        await server.close();
        server = undefined;
      }
      if (server === undefined) {
        server = await AppServer.start({
          command: cli.command,
          args,
          cwd,
          env,
          threadParams: params,
          resumeThreadId: resume,
          startTimeoutMs: runOptions.idleTimeoutMs,
          closeGraceMs: runOptions.closeGraceMs,
          capabilities: CODEX_APP_SERVER_CAPABILITIES,
          features: CODEX_APP_SERVER_FEATURES,
          processKey,
        });
        live.set(config.sessionId, server);
      }
      const turn = server.beginTurn(config, runOptions);
      if (config.signal !== undefined) {
        const signal = config.signal;
        if (signal.aborted) void turn.close();
        else signal.addEventListener("abort", () => void turn.close(), { once: true });
      }
      return turn;
    },
    async releaseSession(sessionId: string): Promise<void> {
      const server = live.get(sessionId);
      if (server === undefined) return;
      live.delete(sessionId);
      await server.close();
    },
  };
}

/**
 * Codex's SDK lane: `codex app-server` (JSON-RPC over stdio, the binary the core lane finds), which
 * gives Codex what `codex exec` cannot: approvals answered by `approve()` (`accept`/`decline`), a
 * graceful `turn/interrupt`, and follow-up runs as turns on one thread and process. No npm package
 * is needed beyond the `codex` CLI, so the lane is available wherever the CLI is. app-server is
 * marked experimental upstream; the lane is checked against codex 0.169.0.
 */
export function codexAppServerLane(): SdkLaneDefinition {
  return {
    specificationVersion: "v1",
    provider: "codex",
    runtime: "codex app-server",
    capabilities: CODEX_APP_SERVER_CAPABILITIES,
    features: CODEX_APP_SERVER_FEATURES,
    // Nothing to load: the lane needs only the codex binary, found per run by the core lane's
    // discovery (a missing one fails the run with cli_not_found, as on the core lane).
    probe: () => Promise.resolve({ available: true }),
    backend: createAppServerBackend(),
  };
}
