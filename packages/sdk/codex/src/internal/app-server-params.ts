import type { CodexThreadPlan, CodexThreadSurface } from "./thread-plan.js";

/** Keys the app-server lane reads from the run's options (the run knobs come through `backendOptions`). */
const LANE_KEYS = ["cliPath", "cwd", "env", "idleTimeoutMs", "wallTimeoutMs"];

/** Provider options `thread/start` has a parameter for. `skipGitRepoCheck` is accepted: app-server makes no Git check. */
const THREAD_KEYS = ["model", "reasoningEffort", "sandbox", "skipGitRepoCheck"];

/** The app-server lane: it starts the process itself, so it reads the process knobs too. */
export const APP_SERVER_LANE_SURFACE: CodexThreadSurface = { who: "the codex app-server lane", canAsk: true, honours: new Set([...THREAD_KEYS, ...LANE_KEYS]) };

/** `codexAppServerThreadParams`: thread parameters only, for a caller who runs app-server itself. */
export const APP_SERVER_BRIDGE_SURFACE: CodexThreadSurface = {
  who: "codexAppServerThreadParams",
  canAsk: true,
  honours: new Set([...THREAD_KEYS, "cwd"]),
  reasons: Object.fromEntries(
    LANE_KEYS.filter((key) => key !== "cwd").map((key) => [key, "thread/start has no process settings; it is for whoever starts codex app-server (codexSdkOptions finds the binary)"]),
  ),
};

/** The reasoning effort's key in Codex's configuration, as `-c` and `thread/start`'s `config` take it. */
export const REASONING_EFFORT_CONFIG_KEY = "model_reasoning_effort";

/**
 * The `thread/start` (and `thread/resume`) parameters of a plan, without `cwd`, which whoever
 * opens the thread adds.
 */
export function appServerThreadParams(plan: CodexThreadPlan): Record<string, unknown> {
  return {
    ...(plan.model === undefined ? {} : { model: plan.model }),
    ...(plan.approvalPolicy === undefined ? {} : { approvalPolicy: plan.approvalPolicy }),
    ...(plan.sandbox === undefined ? {} : { sandbox: plan.sandbox }),
    ...(plan.reasoningEffort === undefined ? {} : { config: { [REASONING_EFFORT_CONFIG_KEY]: plan.reasoningEffort } }),
  };
}
