import { statSync } from "node:fs";
import { AsmError } from "@asm/contract";
import { claudeProfile, type ClaudeOptionsInput } from "@asm/claude";
import { mergeLaneEnv, resolveCli } from "@asm/core-lane";
import type { CommonProviderOptions } from "@asm/provider-utils";
import { readClaudeBridgeOptions } from "./internal/asm-options.js";
import { mergeNativeOverrides } from "./internal/native-overrides.js";
import { claudeQueryOptions, claudeSdkEnv } from "./internal/query-options.js";
import { planClaudeSdkRun } from "./internal/sdk-options.js";

/** Claude Code's own permission modes, as `query()` takes them. */
export type ClaudeNativePermissionMode = "default" | "acceptEdits" | "bypassPermissions" | "plan" | "dontAsk" | "auto";

/**
 * What {@link claudeSdkOptions} reads: the options an ASM run takes for Claude. That is the
 * provider (`"claude"` or unset), the normalized `permissionMode`, and the provider options
 * (`cwd`, `env`, `cliPath`, `model`, `maxTurns`, `systemPrompt`, `allowRules`…).
 */
export type ClaudeSdkAsmOptions = ClaudeOptionsInput &
  Omit<CommonProviderOptions, "idleTimeoutMs" | "wallTimeoutMs" | "secretEnv"> & {
    provider?: "claude";
    permissionMode?: "default" | "auto" | "bypass" | "plan";
  };

/**
 * Options for the Claude Agent SDK's `query({ prompt, options })`, written structurally so that
 * no vendor type reaches this package's declarations. The named keys are the ones ASM sets; the
 * rest are the mapped provider options (`systemPrompt`, `allowedTools`, `outputFormat`…) and the
 * caller's native overrides.
 */
export interface ClaudeSdkQueryOptions {
  /** The working directory of `claude`. */
  cwd: string;
  /** The whole environment of `claude` (the SDK does not add `process.env` to it). */
  env: Record<string, string>;
  /** The `claude` binary found as the core lane finds it, so the SDK's bundled copy is never needed. */
  pathToClaudeCodeExecutable: string;
  permissionMode: ClaudeNativePermissionMode;
  /** Set with `bypassPermissions`: the SDK refuses that mode without it. */
  allowDangerouslySkipPermissions?: boolean;
  model?: string;
  maxTurns?: number;
  [option: string]: unknown;
}

/** Keys ASM sets from its own options; a native override may not replace them. */
const OWNED_KEYS = ["cwd", "env", "pathToClaudeCodeExecutable", "permissionMode", "model", "maxTurns"] as const;

const WHO = "claudeSdkOptions";

function folderOrThrow(cwd: string): string {
  let folder = false;
  try {
    folder = statSync(cwd).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) throw new AsmError("config_invalid", `${WHO}: working directory ${cwd} does not exist or is not a folder`, { provider: "claude", details: { key: "cwd", cwd } });
  return cwd;
}

/**
 * Options for the Claude Agent SDK's `query()` from ASM's options for a Claude run, for callers
 * who drive the SDK themselves. The options are validated with the Claude provider's schema and
 * mapped exactly as the SDK lane maps them. The binary is found by the core lane's discovery
 * (`cliPath`, `CLAUDE_CLI_PATH`, `PATH`, known locations). The normalized permission mode becomes
 * Claude Code's own. `env` is the host's environment with `env` and the provider's variables on
 * top, because the SDK replaces the environment rather than adding to it. `nativeOverrides` go on
 * last; they may not set `cwd`, `env`, `pathToClaudeCodeExecutable`, `permissionMode`, `model` or
 * `maxTurns`.
 *
 * Throws `AsmError("config_invalid")` naming the field in `details.key`: an unknown option, a
 * wrong provider, an invalid value, a forbidden override, or an option the SDK cannot honour
 * (the timeouts, `secretEnv`, `extraArgs`, `permissionPromptTool`, `controlProtocol: false`).
 * Throws `cli_not_found` when no `claude` is found.
 *
 * @example
 * ```ts
 * import { query } from "@anthropic-ai/claude-agent-sdk";
 * import { claudeSdkOptions } from "@asm/sdk-claude";
 *
 * const options = claudeSdkOptions({ cwd: repo, model: "sonnet", maxTurns: 3, permissionMode: "auto" }, { includePartialMessages: false });
 * for await (const message of query({ prompt: "Fix the failing test", options })) console.log(message.type);
 * ```
 */
export function claudeSdkOptions(asmOptions: ClaudeSdkAsmOptions = {}, nativeOverrides?: Readonly<Record<string, unknown>>): ClaudeSdkQueryOptions {
  const read = readClaudeBridgeOptions(asmOptions);
  const plan = planClaudeSdkRun({ prompt: "", ...read }, WHO);
  const options = read.providerOptions as { cwd?: string; env?: Record<string, string>; cliPath?: string };
  const cwd = folderOrThrow(options.cwd ?? process.cwd());
  const env = claudeSdkEnv(mergeLaneEnv(process.env, options.env), plan);
  const cli = resolveCli(claudeProfile.cli, { cliPath: options.cliPath, env, cwd });
  const mapped = claudeQueryOptions(plan, { cwd, env, cliPath: cli.path }) as ClaudeSdkQueryOptions;
  return mergeNativeOverrides(mapped, nativeOverrides, OWNED_KEYS, WHO);
}
