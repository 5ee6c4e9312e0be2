import { AsmError, type Invocation, type InvocationInput } from "@asm/contract";
import { claudeInitializeLine, claudeUserMessageLine } from "./control-protocol.js";
import { CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN, CLAUDE_OLLAMA_DEFAULT_BASE_URL } from "./features.js";
import type { ClaudeOptions, ClaudeProfileOptions } from "../options.js";
import { resolveClaudePermissionMode } from "./permission-modes.js";

/** The `files` key of the temporary MCP config file (`${file:mcp}` in the arguments). */
const CLAUDE_MCP_CONFIG_FILE_KEY = "mcp";

/** The `files` key of the host tools' MCP config file (its bearer token stays off the command line). */
const CLAUDE_HOST_TOOLS_FILE_KEY = "host-tools-mcp";

function invalid(message: string, details: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", message, { provider: "claude", details });
}

/** Model-provider variables: the Ollama route, or an explicit Anthropic-compatible endpoint. */
function backendEnv(options: ClaudeOptions): Record<string, string | undefined> {
  if (options.providerBackend === "ollama") {
    return {
      ANTHROPIC_BASE_URL: options.anthropicBaseUrl ?? CLAUDE_OLLAMA_DEFAULT_BASE_URL,
      ANTHROPIC_AUTH_TOKEN: options.anthropicAuthToken ?? CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN,
      // A real Anthropic key in the parent environment must not be sent to Ollama.
      ANTHROPIC_API_KEY: "",
    };
  }
  const env: Record<string, string> = {};
  if (options.anthropicBaseUrl !== undefined) env["ANTHROPIC_BASE_URL"] = options.anthropicBaseUrl;
  if (options.anthropicAuthToken !== undefined) env["ANTHROPIC_AUTH_TOKEN"] = options.anthropicAuthToken;
  return env;
}

function mcpConfigContent(config: Record<string, unknown>): string {
  return JSON.stringify(Object.hasOwn(config, "mcpServers") ? config : { mcpServers: config });
}

/**
 * Builds the `claude` command line, environment and stdin for one run.
 *
 * Always `-p --output-format stream-json --verbose --permission-mode <mode>`. With
 * `controlProtocol` (the default) it adds `--input-format stream-json --permission-prompt-tool
 * stdio`; stdin then starts with an `initialize` control request and the prompt as a user message,
 * and stays open for approvals, interrupts and follow-ups. Without it, the prompt is written to
 * stdin, which `claude -p` reads when no prompt argument is given, and stdin is closed. Either
 * way the prompt never appears on the command line, where every local user can read it.
 *
 * The common `extraArgs` come after the profile's own flags and before the prompt. The common
 * `env` is not rendered here: the kernel merges it into the process environment. `Invocation.env`
 * holds only the model-provider variables (the Ollama route, `anthropicBaseUrl`,
 * `anthropicAuthToken`).
 *
 * Variadic flags use the `--flag=value` form so they never swallow the next argument. The options
 * arrive validated and normalized by the kernel (`claudeOptionsSchema`, `normalizeClaudeOptions`);
 * they are read as they are. Throws `AsmError("config_invalid")` for an unknown native permission
 * mode or an empty session id to resume.
 *
 * The run's host tools (`input.hostTools`) become one more `--mcp-config` file naming the run's
 * loopback MCP server and its bearer token; Claude calls them `mcp__<server>__<tool>`.
 */
export function buildClaudeInvocation(input: InvocationInput<ClaudeProfileOptions>): Invocation {
  const options = input.options;
  const permissionMode = resolveClaudePermissionMode(input.permissionMode, input.nativePermissionMode);

  const args: string[] = ["-p"];
  const files: Array<{ key: string; content: string }> = [];

  if (input.continuation?.strategy === "exact") {
    if (input.continuation.providerSessionId.trim() === "") throw invalid("continuation needs a provider session id");
    args.push("--resume", input.continuation.providerSessionId);
  } else if (input.continuation?.strategy === "latest") {
    args.push("--continue");
  }
  if (options.model !== undefined) args.push("--model", options.model);
  if (options.fallbackModel !== undefined) args.push("--fallback-model", options.fallbackModel);
  if (options.systemPrompt !== undefined) args.push("--system-prompt", options.systemPrompt);
  if (options.appendSystemPrompt !== undefined && options.appendSystemPrompt !== "") {
    args.push("--append-system-prompt", options.appendSystemPrompt);
  }
  if (options.maxTurns !== undefined) args.push("--max-turns", String(options.maxTurns));
  if (options.effort !== undefined) args.push("--effort", options.effort);
  if (options.includeThinking !== undefined) args.push("--thinking", options.includeThinking ? "enabled" : "disabled");
  if (options.jsonSchema !== undefined) args.push("--json-schema", JSON.stringify(options.jsonSchema));
  if (options.allowRules !== undefined && options.allowRules.length > 0) {
    args.push(`--allowedTools=${options.allowRules.join(",")}`);
  }
  if (options.denyRules !== undefined && options.denyRules.length > 0) {
    args.push(`--disallowedTools=${options.denyRules.join(",")}`);
  }
  for (const dir of options.additionalDirectories ?? []) args.push(`--add-dir=${dir}`);
  if (typeof options.mcpConfig === "string") {
    args.push(`--mcp-config=${options.mcpConfig}`);
  } else if (options.mcpConfig !== undefined) {
    // A file keeps server credentials out of the process list. The token is its own argument (the
    // kernel substitutes whole `${file:…}` arguments) and a fixed flag always follows it, so the
    // variadic --mcp-config cannot take more than the path.
    files.push({ key: CLAUDE_MCP_CONFIG_FILE_KEY, content: mcpConfigContent(options.mcpConfig) });
    args.push("--mcp-config", `\${file:${CLAUDE_MCP_CONFIG_FILE_KEY}}`);
  }
  if (input.hostTools !== undefined) {
    // A second --mcp-config (Claude merges them); a fixed flag follows, as above.
    const { serverName, url, bearerToken } = input.hostTools;
    files.push({
      key: CLAUDE_HOST_TOOLS_FILE_KEY,
      content: JSON.stringify({ mcpServers: { [serverName]: { type: "http", url, headers: { Authorization: `Bearer ${bearerToken}` } } } }),
    });
    args.push("--mcp-config", `\${file:${CLAUDE_HOST_TOOLS_FILE_KEY}}`);
  }
  if (options.strictMcpConfig === true) args.push("--strict-mcp-config");
  if (options.settingSources !== undefined) args.push(`--setting-sources=${options.settingSources.join(",")}`);
  if (options.includePartialMessages === true) args.push("--include-partial-messages");

  args.push("--output-format", "stream-json", "--verbose");
  if (options.controlProtocol) {
    args.push("--input-format", "stream-json", "--permission-prompt-tool", options.permissionPromptTool ?? "stdio");
  } else if (options.permissionPromptTool !== undefined) {
    args.push("--permission-prompt-tool", options.permissionPromptTool);
  }
  args.push("--permission-mode", permissionMode);
  args.push(...(options.extraArgs ?? []));

  const env = backendEnv(options);
  const withFiles = files.length > 0 ? { files } : {};

  if (options.controlProtocol) {
    return {
      args,
      env,
      stdin: `${claudeInitializeLine()}\n${claudeUserMessageLine(input.prompt)}\n`,
      closeStdin: false,
      ...withFiles,
    };
  }
  return { args, env, stdin: input.prompt, closeStdin: true, ...withFiles };
}
