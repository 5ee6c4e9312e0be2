import { AsmError, type BackendStartConfig, type InvocationInput } from "@asm/contract";
import { claudeProfile, type ClaudeProfileOptions } from "@asm/claude";
import { isRecord } from "@asm/provider-utils";

/** Provider options the lane maps to SDK options (or to the environment). */
const MAPPED = new Set([
  "model",
  "fallbackModel",
  "systemPrompt",
  "appendSystemPrompt",
  "maxTurns",
  "effort",
  "includeThinking",
  "jsonSchema",
  "allowRules",
  "denyRules",
  "additionalDirectories",
  "mcpConfig",
  "strictMcpConfig",
  "settingSources",
  "includePartialMessages",
  "controlProtocol",
  "providerBackend",
  "externalModelOverrides",
  "anthropicBaseUrl",
  "anthropicAuthToken",
  // Common keys: read from backendOptions (cliPath, cwd, env, timeouts) or already folded into the
  // Claude keys by the provider's normalization (the ollama* knobs).
  "cliPath",
  "cwd",
  "env",
  "idleTimeoutMs",
  "wallTimeoutMs",
  "ollama",
  "ollamaModel",
  "ollamaBaseUrl",
]);

/** Why a provider option cannot be honoured on this lane. */
const REFUSED: Readonly<Record<string, string>> = {
  permissionPromptTool: "approvals go through the SDK's canUseTool callback; an MCP permission prompt tool would bypass approve()",
  extraArgs: "the SDK builds the command line itself; pass the matching provider option instead",
  maxLineBytes: "the SDK reads the CLI's output itself and has no line cap",
};

/** Options that need a new agent process when they change between turns (everything but model and mode). */
export interface ClaudeSdkPlan {
  /** SDK options, without the callbacks and process knobs the session adds. */
  options: Record<string, unknown>;
  /** Variables the provider's own rules add (the Ollama route, an explicit base URL). */
  env: Record<string, string | undefined>;
  model: string | undefined;
  /** Claude Code's permission mode (`default`, `acceptEdits`, `bypassPermissions`, `plan`, …). */
  permissionMode: string;
  /** Identity of everything fixed for the life of one agent process. */
  processKey: string;
  /** Provider session to resume (`{ id }`), or `latest` for the newest one in the working directory. */
  resume: { id: string } | "latest" | undefined;
}

/** What a run's SDK options are planned from: the part of a backend's start config the mapping reads. */
export type ClaudeSdkRunInput = Pick<BackendStartConfig, "prompt" | "providerOptions" | "permissionMode" | "nativePermissionMode" | "continuation">;

function refuse(who: string, key: string, why: string): AsmError {
  return new AsmError("config_invalid", `${who} cannot honour ${key}: ${why}`, { provider: "claude", details: { key } });
}

function nativeMode(args: readonly string[]): string {
  const index = args.indexOf("--permission-mode");
  const mode = index >= 0 ? args[index + 1] : undefined;
  return mode ?? "default";
}

/**
 * Turns one run's validated options into Claude Agent SDK options. Every option is either mapped
 * or refused with `config_invalid` naming it: nothing is dropped. The permission mode and the
 * model-provider variables come from the provider's own invocation rules, so both lanes read an
 * option the same way. The SDK lane and `claudeSdkOptions` both plan through here; `who` names
 * the caller in refusals.
 */
export function planClaudeSdkRun(config: ClaudeSdkRunInput, who = "the claude sdk lane"): ClaudeSdkPlan {
  const options = config.providerOptions as ClaudeProfileOptions & Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const refused = REFUSED[key];
    if (refused !== undefined && !(key === "extraArgs" && Array.isArray(value) && value.length === 0)) throw refuse(who, key, refused);
    if (refused === undefined && !MAPPED.has(key)) throw refuse(who, key, "it is not a Claude option the SDK mapping knows");
  }
  if (options.controlProtocol === false) throw refuse(who, "controlProtocol", "the SDK always drives Claude Code over its control protocol");

  const input: InvocationInput<ClaudeProfileOptions> = {
    prompt: config.prompt,
    options,
    permissionMode: config.permissionMode,
    nativePermissionMode: config.nativePermissionMode,
    continuation: config.continuation,
    maxArgvPromptBytes: Number.MAX_SAFE_INTEGER,
  };
  let invocation;
  try {
    invocation = claudeProfile.buildInvocation(input);
  } catch (error) {
    throw AsmError.from(error, "config_invalid", { provider: "claude" });
  }
  const permissionMode = nativeMode(invocation.args);

  const sdk: Record<string, unknown> = {};
  if (options.fallbackModel !== undefined) sdk.fallbackModel = options.fallbackModel;
  if (options.systemPrompt !== undefined) {
    sdk.systemPrompt = options.appendSystemPrompt ? `${options.systemPrompt}\n\n${options.appendSystemPrompt}` : options.systemPrompt;
  } else if (options.appendSystemPrompt) {
    sdk.systemPrompt = { type: "preset", preset: "claude_code", append: options.appendSystemPrompt };
  }
  if (options.maxTurns !== undefined) sdk.maxTurns = options.maxTurns;
  if (options.effort !== undefined) sdk.effort = options.effort;
  const extraArgs: Record<string, string | null> = {};
  if (options.includeThinking !== undefined) extraArgs.thinking = options.includeThinking ? "enabled" : "disabled";
  if (options.jsonSchema !== undefined) sdk.outputFormat = { type: "json_schema", schema: options.jsonSchema };
  if (options.allowRules !== undefined) sdk.allowedTools = [...options.allowRules];
  if (options.denyRules !== undefined) sdk.disallowedTools = [...options.denyRules];
  if (options.additionalDirectories !== undefined) sdk.additionalDirectories = [...options.additionalDirectories];
  if (typeof options.mcpConfig === "string") {
    extraArgs["mcp-config"] = options.mcpConfig;
  } else if (isRecord(options.mcpConfig)) {
    const servers = options.mcpConfig["mcpServers"];
    sdk.mcpServers = isRecord(servers) ? servers : options.mcpConfig;
  }
  if (options.strictMcpConfig === true) sdk.strictMcpConfig = true;
  if (options.settingSources !== undefined) sdk.settingSources = [...options.settingSources];
  if (options.includePartialMessages === true) sdk.includePartialMessages = true;
  if (Object.keys(extraArgs).length > 0) sdk.extraArgs = extraArgs;

  let resume: ClaudeSdkPlan["resume"];
  if (config.continuation?.strategy === "exact") resume = { id: config.continuation.providerSessionId };
  else if (config.continuation?.strategy === "latest") resume = "latest";

  return {
    options: sdk,
    env: invocation.env,
    model: options.model,
    permissionMode,
    processKey: JSON.stringify({ sdk, env: invocation.env }),
    resume,
  };
}
