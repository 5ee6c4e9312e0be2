import { codexProfile } from "@asm/codex";
import { mergeLaneEnv, resolveCli } from "@asm/core-lane";
import { readCodexBridgeOptions } from "./internal/asm-options.js";
import { mergeNativeOverrides } from "./internal/native-overrides.js";
import { codexSdkSurface, OWNED_CONFIG_KEYS, sdkConfig, sdkThreadSettings, type CodexConfigValue, type CodexSdkThreadSettings } from "./internal/sdk-params.js";
import { planCodexThread } from "./internal/thread-plan.js";
import { workingDirectory } from "./internal/working-directory.js";
import type { CodexAsmOptions } from "./codex-asm-options.js";

export type { CodexConfigValue, CodexSdkReasoningEffort } from "./internal/sdk-params.js";
export type { CodexApprovalPolicy, CodexSandboxMode } from "./internal/thread-plan.js";

/** Options of `new Codex(options)` from `@openai/codex-sdk`, as ASM sets them. */
export interface CodexSdkClientOptions {
  /** The `codex` binary found as the core lane finds it. */
  codexPathOverride: string;
  /** The whole environment of `codex` (the SDK does not add `process.env` to it). */
  env: Record<string, string>;
  /** `-c` overrides: ASM's `configOverrides`, and `systemPrompt` as `developer_instructions`. */
  config?: Record<string, CodexConfigValue>;
  [option: string]: unknown;
}

/** Options of `codex.startThread(options)` (or `resumeThread(id, options)`), as ASM sets them. */
export interface CodexSdkThreadOptions extends CodexSdkThreadSettings {
  [option: string]: unknown;
}

/** `new Codex()` options ASM sets; a native override may not replace them (nor the thread's `model`, `modelReasoningEffort`). */
const CLIENT_OWNED = { keys: ["codexPathOverride", "env", "model", "modelReasoningEffort", "reasoningEffort"], configKeys: OWNED_CONFIG_KEYS };

/** Thread options ASM sets, or that would undo its permission posture; a native override may not set them. */
const THREAD_OWNED = {
  keys: ["model", "modelReasoningEffort", "workingDirectory", "additionalDirectories", "sandboxMode", "approvalPolicy", "skipGitRepoCheck", "outputSchema"],
};

/**
 * Options for `new Codex(options)` of `@openai/codex-sdk` from ASM's options for a Codex run: the
 * `codex` binary found by the core lane's discovery (`cliPath`, `CODEX_CLI_PATH`, `PATH`, known
 * locations), the environment (the host's with `env` on top: the SDK replaces it rather than
 * adding to it), and `configOverrides`/`systemPrompt` as `config`. Pair it with
 * {@link codexThreadOptions} for the same options; each validates all of them.
 *
 * `nativeOverrides` go on last (`baseUrl`, `apiKey`, more `config` keys); they may not set
 * `codexPathOverride`, `env`, `model`, `modelReasoningEffort`, nor the `config` keys ASM owns
 * (`model`, `model_reasoning_effort`, `sandbox_mode`, `approval_policy`, `developer_instructions`).
 * Everything wrong is `AsmError("config_invalid")` naming the field in `details.key`; no `codex`
 * found is `cli_not_found`.
 *
 * @example
 * ```ts
 * import { Codex } from "@openai/codex-sdk";
 * const asmOptions = { cwd: repo, model: "gpt-5.5", sandbox: "workspace-write" } as const;
 * const thread = new Codex(codexSdkOptions(asmOptions)).startThread(codexThreadOptions(asmOptions));
 * const turn = await thread.run("Fix the failing test");
 * ```
 */
export function codexSdkOptions(asmOptions: CodexAsmOptions = {}, nativeOverrides?: Readonly<Record<string, unknown>>): CodexSdkClientOptions {
  const who = "codexSdkOptions";
  const input = readCodexBridgeOptions(asmOptions, who);
  const plan = planCodexThread(input, codexSdkSurface(who));
  const options = input.providerOptions as { cwd?: string; env?: Record<string, string>; cliPath?: string };
  const cwd = workingDirectory(options.cwd, who);
  const env = mergeLaneEnv(process.env, options.env);
  const cli = resolveCli(codexProfile.cli, { cliPath: options.cliPath, env, cwd });
  const config = sdkConfig(plan);
  const mapped: CodexSdkClientOptions = { codexPathOverride: cli.path, env, ...(config === undefined ? {} : { config }) };
  return mergeNativeOverrides(mapped, nativeOverrides, CLIENT_OWNED, who);
}

/**
 * Options for `startThread(options)` of `@openai/codex-sdk` from ASM's options for a Codex run:
 * `workingDirectory` (`cwd`), `model`, `modelReasoningEffort`, `sandboxMode`, `skipGitRepoCheck`,
 * `additionalDirectories`, and the permission mode as the Codex provider renders it for
 * `codex exec`: `default` leaves Codex's own approval default (with `sandbox` if set), `bypass` is
 * `danger-full-access` with `approvalPolicy: "never"`; `auto` and `plan` do not exist for Codex and
 * are refused. `outputSchema` is a turn option of the SDK (`thread.run(input, { outputSchema })`)
 * and is refused here.
 *
 * `nativeOverrides` go on last (`networkAccessEnabled`, `webSearchMode`…); they may not set
 * `model`, `modelReasoningEffort`, `workingDirectory`, `additionalDirectories`, `sandboxMode`,
 * `approvalPolicy`, `skipGitRepoCheck` or `outputSchema`. Everything wrong is
 * `AsmError("config_invalid")` naming the field in `details.key`.
 *
 * @example
 * ```ts
 * const thread = codex.startThread(codexThreadOptions({ cwd: repo, reasoningEffort: "high", permissionMode: "bypass" }, { webSearchMode: "disabled" }));
 * ```
 */
export function codexThreadOptions(asmOptions: CodexAsmOptions = {}, nativeOverrides?: Readonly<Record<string, unknown>>): CodexSdkThreadOptions {
  const who = "codexThreadOptions";
  const input = readCodexBridgeOptions(asmOptions, who);
  const plan = planCodexThread(input, codexSdkSurface(who));
  const mapped: CodexSdkThreadOptions = sdkThreadSettings(plan, workingDirectory(input.providerOptions["cwd"], who), who);
  return mergeNativeOverrides(mapped, nativeOverrides, THREAD_OWNED, who);
}
