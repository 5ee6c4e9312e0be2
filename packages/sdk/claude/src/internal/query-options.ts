import { mergeLaneEnv } from "@asm/core-lane";
import type { ClaudeSdkPlan } from "./sdk-options.js";

/** Where and with what the planned run's `claude` process starts. */
export interface ClaudeProcessPlacement {
  cwd: string;
  /** The whole environment of the process: the SDK replaces `process.env` with it. */
  env: Record<string, string>;
  /** The `claude` binary found by the core lane's discovery. */
  cliPath: string;
}

/**
 * The environment the SDK starts `claude` with: the caller's (host plus run variables), then
 * what the provider's own rules add (the Ollama route, an explicit base URL), then the client tag.
 */
export function claudeSdkEnv(baseEnv: Readonly<Record<string, string | undefined>>, plan: ClaudeSdkPlan): Record<string, string> {
  return mergeLaneEnv(baseEnv, plan.env, { CLAUDE_AGENT_SDK_CLIENT_APP: "asm" });
}

/**
 * The serialisable part of `query()`'s options for a planned run: the mapped provider options plus
 * the process placement, permission mode, model and resume target. The SDK lane adds its callbacks
 * (`canUseTool`, `spawnClaudeCodeProcess`) on top; `claudeSdkOptions` hands it to the caller.
 */
export function claudeQueryOptions(plan: ClaudeSdkPlan, placement: ClaudeProcessPlacement): Record<string, unknown> {
  return {
    ...plan.options,
    cwd: placement.cwd,
    env: placement.env,
    pathToClaudeCodeExecutable: placement.cliPath,
    permissionMode: plan.permissionMode,
    // The SDK refuses bypass mode unless this confirms it was meant.
    ...(plan.permissionMode === "bypassPermissions" ? { allowDangerouslySkipPermissions: true } : {}),
    ...(plan.model === undefined ? {} : { model: plan.model }),
    ...(plan.resume === "latest" ? { continue: true } : plan.resume === undefined ? {} : { resume: plan.resume.id }),
  };
}
