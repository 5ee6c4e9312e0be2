import type { Capability, LaneFeatures, ProviderBackend } from "@asm/contract";
import { claudeProfile } from "@asm/claude";
import { createLaneSessionBackend, resolveCli } from "@asm/core-lane";
import { LiveQuery } from "./internal/live-query.js";
import type { ClaudeSdkModule } from "./internal/sdk-shapes.js";
import { claudeSdkEnv } from "./internal/query-options.js";
import { planClaudeSdkRun } from "./internal/sdk-options.js";

/** What the Claude SDK lane can do, as capability names. */
export const CLAUDE_SDK_CAPABILITIES: readonly Capability[] = [
  "streaming",
  "tools",
  "approval",
  "interrupt",
  "resume",
  "cost",
  "thinking",
  "structured_output",
  "multi_turn",
  "mcp",
  "control_protocol",
];

/** The Claude SDK lane's native features. */
export const CLAUDE_SDK_FEATURES: LaneFeatures = {
  approvals: "callback",
  interrupt: "graceful",
  partialText: true,
  structuredOutput: true,
  setModel: true,
  setPermissionMode: true,
  resume: true,
  fork: false,
  mcpInline: true,
  longLivedProcess: true,
};

/**
 * The Claude SDK lane's backend: one live `query()` per ASM session, reused by every run of that
 * session that continues the same Claude session with the same fixed options; anything else
 * (another working directory, system prompt, tools…) starts a fresh process resuming the session.
 * `releaseSession` (from `stopSession`) ends the process.
 */
export function createClaudeSdkBackend(loadModule: () => Promise<ClaudeSdkModule>): ProviderBackend {
  return createLaneSessionBackend<LiveQuery>({
    name: "sdk:claude",
    provider: "claude",
    lane: "the claude sdk lane",
    refusal: "it is not an option of this lane (the Claude Agent SDK reads the CLI's output itself)",
    resumesLatest: true,
    plan({ config, runOptions, cwd, env: baseEnv }) {
      const plan = planClaudeSdkRun(config);
      const env = claudeSdkEnv(baseEnv, plan);
      // The same discovery as the core lane (option, CLAUDE_CLI_PATH, PATH, known locations), so
      // both lanes run the same claude and the SDK's bundled copy is never needed.
      const cli = resolveCli(claudeProfile.cli, { cliPath: runOptions.cliPath, env, cwd });
      return {
        reuses: (query) => query.accepts(plan, cwd, cli.path),
        open: async () => new LiveQuery({ sdk: await loadModule(), plan, runOptions, cli, cwd, env, capabilities: CLAUDE_SDK_CAPABILITIES, features: CLAUDE_SDK_FEATURES }),
        begin: (query) => query.beginTurn(config, plan, runOptions),
      };
    },
  });
}
