import { AsmError } from "@asm/contract";
import { REASONING_EFFORT_CONFIG_KEY } from "./app-server-params.js";
import type { CodexApprovalPolicy, CodexSandboxMode, CodexThreadPlan, CodexThreadSurface } from "./thread-plan.js";

/** Reasoning efforts `@openai/codex-sdk`'s ThreadOptions takes. */
export type CodexSdkReasoningEffort = "minimal" | "low" | "medium" | "high" | "xhigh";
const SDK_REASONING_EFFORTS: readonly string[] = ["minimal", "low", "medium", "high", "xhigh"];

/** A value of Codex's configuration, as `-c key=value` (and the SDK's `config`) takes it. */
export type CodexConfigValue = string | number | boolean | CodexConfigValue[] | { [key: string]: CodexConfigValue };

/** The Codex configuration key `systemPrompt` is sent as (added to Codex's own instructions). */
const DEVELOPER_INSTRUCTIONS_CONFIG_KEY = "developer_instructions";

/**
 * `@openai/codex-sdk` runs `codex exec`, which cannot stop to ask for an approval. It honours the
 * thread settings it has fields for, plus the process (`cliPath`, `env`) and `configOverrides`
 * and `systemPrompt` through its `config`.
 */
export function codexSdkSurface(who: string): CodexThreadSurface {
  return {
    who,
    canAsk: false,
    honours: new Set(["model", "reasoningEffort", "sandbox", "skipGitRepoCheck", "additionalDirectories", "systemPrompt", "configOverrides", "cliPath", "cwd", "env"]),
    reasons: {
      outputSchema: "it is a turn option of @openai/codex-sdk: pass it to thread.run(input, { outputSchema })",
      idleTimeoutMs: "the SDK has no idle timeout; pass a signal to thread.run(input, { signal })",
      wallTimeoutMs: "the SDK has no run timeout; pass a signal to thread.run(input, { signal })",
      secretEnv: "ASM redacts secrets only from what it emits itself, and the SDK's events never pass through ASM",
    },
  };
}

/** `ThreadOptions` of `@openai/codex-sdk`, as the plan sets them (a type alias, so it fits an indexed type). */
export type CodexSdkThreadSettings = {
  workingDirectory: string;
  skipGitRepoCheck: boolean;
  model?: string;
  modelReasoningEffort?: CodexSdkReasoningEffort;
  sandboxMode?: CodexSandboxMode;
  approvalPolicy?: CodexApprovalPolicy;
  additionalDirectories?: string[];
};

/** The thread options of a plan; a reasoning effort the SDK's type has no value for is refused. */
export function sdkThreadSettings(plan: CodexThreadPlan, workingDirectory: string, who: string): CodexSdkThreadSettings {
  const effort = plan.reasoningEffort;
  if (effort !== undefined && !SDK_REASONING_EFFORTS.includes(effort)) {
    throw new AsmError("config_invalid", `${who} cannot honour reasoningEffort "${effort}": @openai/codex-sdk takes ${SDK_REASONING_EFFORTS.join(", ")}`, {
      provider: "codex",
      details: { key: "reasoningEffort" },
    });
  }
  return {
    workingDirectory,
    skipGitRepoCheck: plan.skipGitRepoCheck,
    ...(plan.model === undefined ? {} : { model: plan.model }),
    ...(effort === undefined ? {} : { modelReasoningEffort: effort as CodexSdkReasoningEffort }),
    ...(plan.sandbox === undefined ? {} : { sandboxMode: plan.sandbox }),
    ...(plan.approvalPolicy === undefined ? {} : { approvalPolicy: plan.approvalPolicy }),
    ...(plan.additionalDirectories === undefined ? {} : { additionalDirectories: [...plan.additionalDirectories] }),
  };
}

/** The configuration a plan sends through the SDK's `config`: the raw overrides, then the system prompt. */
export function sdkConfig(plan: CodexThreadPlan): Record<string, CodexConfigValue> | undefined {
  // The schema checked every override value is TOML-encodable, which is exactly CodexConfigValue.
  const config: Record<string, CodexConfigValue> = { ...(plan.configOverrides as Record<string, CodexConfigValue> | undefined) };
  if (plan.systemPrompt !== undefined) config[DEVELOPER_INSTRUCTIONS_CONFIG_KEY] = plan.systemPrompt;
  return Object.keys(config).length === 0 ? undefined : config;
}

/** Configuration keys that would set, by the back door, what ASM's options own. */
export const OWNED_CONFIG_KEYS = ["model", REASONING_EFFORT_CONFIG_KEY, "sandbox_mode", "approval_policy", DEVELOPER_INSTRUCTIONS_CONFIG_KEY];
