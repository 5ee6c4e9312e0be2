import { AsmError, type Invocation, type InvocationInput } from "@asm/contract";
import { geminiModels } from "./models.js";
import type { GeminiProfileOptions } from "../options.js";
import { resolveGeminiPermission } from "./permission-modes.js";

/** Key of the temporary file holding the system prompt (its path goes in `GEMINI_SYSTEM_MD`). */
export const GEMINI_SYSTEM_PROMPT_FILE = "gemini-system-md";

/** Key of the temporary system defaults file that adds the run's host tools server (`GEMINI_CLI_SYSTEM_DEFAULTS_PATH`). */
const GEMINI_HOST_TOOLS_SETTINGS_FILE = "gemini-host-tools-settings";

/** The CLI truncates stdin beyond this many bytes, so a longer prompt cannot be sent at all. */
const GEMINI_MAX_STDIN_PROMPT_BYTES = 8 * 1024 * 1024;

/**
 * Builds the `gemini` command line for one headless run:
 * `--output-format stream-json --model M [permission flags] [--sandbox] [--extensions a,b]
 * [--include-directories D]… [--allowed-mcp-server-names a,b] [--policy P]… [--skip-trust]
 * [--session-id ID | --resume ID|latest] [extraArgs…] --prompt=`. The options arrive
 * validated by the kernel (`geminiOptionsSchema`, defaults applied) and are read as they are.
 *
 * The prompt is always written to stdin, with an empty `--prompt=` (headless mode; the CLI then
 * uses stdin as the whole prompt), so it never appears in the process list. stdin is closed at
 * start, because the CLI otherwise waits up to half a second for piped input, and forever once
 * some has arrived.
 *
 * @example
 * ```ts
 * buildGeminiInvocation({ prompt: "hi", options: { model: "gemini-2.5-pro" }, permissionMode: "bypass", maxArgvPromptBytes: 100_000 });
 * // { args: ["--output-format", "stream-json", "--model", "gemini-2.5-pro", "--yolo", "--prompt="], stdin: "hi", … }
 * ```
 */
export function buildGeminiInvocation(input: InvocationInput<GeminiProfileOptions>): Invocation {
  const options = input.options;
  const args = ["--output-format", "stream-json", "--model", options.model ?? geminiModels.defaultModel];

  const permission = resolveGeminiPermission(input.permissionMode, input.nativePermissionMode);
  if (permission !== undefined) args.push(...permission.cliArgs);

  if (options.sandbox) args.push("--sandbox");
  if (options.extensions !== undefined && options.extensions.length > 0) args.push("--extensions", options.extensions.join(","));
  for (const directory of options.includeDirectories ?? []) args.push("--include-directories", directory);
  if (options.allowedMcpServerNames !== undefined && options.allowedMcpServerNames.length > 0) {
    args.push("--allowed-mcp-server-names", options.allowedMcpServerNames.join(","));
  }
  for (const policy of options.policy ?? []) args.push("--policy", policy);
  if (options.skipTrust) args.push("--skip-trust");

  if (input.continuation !== undefined) {
    if (options.cliSessionId !== undefined) {
      throw new AsmError("config_invalid", "Gemini cannot both resume a session and start one with `cliSessionId`; drop one of them.", {
        provider: "gemini",
        details: { key: "cliSessionId" },
      });
    }
    args.push("--resume", input.continuation.strategy === "exact" ? input.continuation.providerSessionId : "latest");
  } else if (options.cliSessionId !== undefined) {
    args.push("--session-id", options.cliSessionId);
  }

  args.push(...(options.extraArgs ?? []));

  const env: Record<string, string | undefined> = {};
  if (!options.relaunch) env.GEMINI_CLI_NO_RELAUNCH = "true";
  const files: NonNullable<Invocation["files"]> = [];
  if (options.systemPrompt !== undefined) {
    files.push({ key: GEMINI_SYSTEM_PROMPT_FILE, content: options.systemPrompt });
    env.GEMINI_SYSTEM_MD = `\${file:${GEMINI_SYSTEM_PROMPT_FILE}}`;
  }

  if (input.hostTools !== undefined) {
    // System defaults, the lowest scope: Gemini CLI merges `mcpServers` across scopes by server
    // name, so the user's servers stay, and an administrator's system settings still apply. A
    // file (mode 0600) keeps the bearer token off the command line.
    const { serverName, url, bearerToken } = input.hostTools;
    // Gemini CLI skips a system defaults file under a folder others can write to (`/tmp`).
    files.push({
      securePath: true,
      key: GEMINI_HOST_TOOLS_SETTINGS_FILE,
      content: JSON.stringify({ mcpServers: { [serverName]: { httpUrl: url, headers: { Authorization: `Bearer ${bearerToken}` } } } }),
    });
    env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH = `\${file:${GEMINI_HOST_TOOLS_SETTINGS_FILE}}`;
  }

  const promptBytes = Buffer.byteLength(input.prompt, "utf8");
  if (promptBytes > GEMINI_MAX_STDIN_PROMPT_BYTES) {
    throw new AsmError(
      "config_invalid",
      `The prompt is ${promptBytes} bytes; Gemini CLI reads at most ${GEMINI_MAX_STDIN_PROMPT_BYTES} bytes of prompt from stdin.`,
      { provider: "gemini", details: { key: "prompt", promptBytes, limit: GEMINI_MAX_STDIN_PROMPT_BYTES } },
    );
  }
  // The prompt never goes on the command line, where every local user can read it (`ps`).
  args.push("--prompt=");

  return {
    args,
    env,
    stdin: input.prompt,
    closeStdin: true,
    ...(files.length === 0 ? {} : { files }),
  };
}
