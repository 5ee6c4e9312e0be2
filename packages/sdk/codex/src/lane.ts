import { type BackendStartConfig, type Capability, type LaneFeatures, type ProviderBackend, type SdkLaneDefinition } from "@asm/contract";
import { codexProfile } from "@asm/codex";
import { createLaneSessionBackend, resolveCli } from "@asm/core-lane";
import { AppServer } from "./internal/app-server.js";
import { APP_SERVER_LANE_SURFACE, appServerThreadParams } from "./internal/app-server-params.js";
import { planCodexThread } from "./internal/thread-plan.js";

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

function threadParams(config: BackendStartConfig): Record<string, unknown> {
  return appServerThreadParams(planCodexThread(config, APP_SERVER_LANE_SURFACE));
}

function createAppServerBackend(): ProviderBackend {
  return createLaneSessionBackend<AppServer>({
    name: "sdk:codex",
    provider: "codex",
    lane: "the codex app-server lane",
    refusal: "app-server frames its messages itself",
    resumesLatest: false,
    plan({ config, runOptions, cwd, env }) {
      const params = threadParams(config);
      const resume = config.continuation?.strategy === "exact" ? config.continuation.providerSessionId : undefined;
      const cli = resolveCli(codexProfile.cli, { cliPath: runOptions.cliPath, env, cwd });
      const args = [...cli.prefixArgs, "app-server"];
      const processKey = JSON.stringify({ command: cli.command, params, cwd, env: runOptions.env });
      return {
        reuses: (server) => server.accepts(processKey, resume),
        open: () =>
          AppServer.start({
            command: cli.command,
            args,
            cwd,
            env,
            threadParams: params,
            resumeThreadId: resume,
            startTimeoutMs: runOptions.idleTimeoutMs,
            closeGraceMs: runOptions.closeGraceMs,
            stderrTailBytes: runOptions.stderrTailBytes,
            capabilities: CODEX_APP_SERVER_CAPABILITIES,
            features: CODEX_APP_SERVER_FEATURES,
            processKey,
          }),
        begin: (server) => server.beginTurn(config, runOptions),
      };
    },
  });
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
