import { AsmError, configError, type Invocation, type InvocationInput, type NativePermissionMode } from "@asm/contract";
import type { AmpProfileOptions } from "../options.js";
import { ampPermissionModes } from "./permission-modes.js";

/** `${file:…}` key of the temporary settings file (permissions, tools). */
export const AMP_SETTINGS_FILE_KEY = "amp-settings";
/** `${file:…}` key of the temporary MCP configuration file. */
export const AMP_MCP_CONFIG_FILE_KEY = "amp-mcp-config";

/**
 * The argv, environment and stdin for one Amp run:
 * `[threads continue <id>|--last] --execute --stream-json[-thinking] --no-ide
 * --no-notifications [--mode m] [--settings-file f] [--mcp-config f] [--dangerously-allow-all]
 * [extraArgs…]`. `--execute` has no value and the prompt is written to stdin, which Amp's execute
 * mode reads, so it never appears in the process list. Throws `AsmError("config_invalid")` for an
 * empty prompt, a bad thread id, an unknown native permission mode, or a permission mode Amp has
 * no equivalent for.
 */
export function buildAmpInvocation(input: InvocationInput<AmpProfileOptions>): Invocation {
  const { prompt, options } = input;
  if (prompt.trim() === "") throw configError("Amp needs a non-empty prompt", { provider: "amp" });

  const args: string[] = [...continuationArgs(input)];
  // The prompt never goes on the command line, where every local user can read it (`ps`).
  args.push("--execute");
  args.push(options.includeThinking ? "--stream-json-thinking" : "--stream-json");
  args.push("--no-ide", "--no-notifications");

  if (options.mode !== undefined) args.push("--mode", options.mode);

  const files: Array<{ key: string; content: string }> = [];
  const settings = settingsFileContent(options);
  if (settings !== null) {
    files.push({ key: AMP_SETTINGS_FILE_KEY, content: settings });
    args.push("--settings-file", `\${file:${AMP_SETTINGS_FILE_KEY}}`);
  } else if (options.settingsFile !== undefined) {
    args.push("--settings-file", options.settingsFile);
  }

  // A file rather than inline JSON: MCP server env and headers often hold tokens, and argv is
  // visible to every user of the machine.
  // The run's host tools server joins the caller's servers in the same file.
  const mcpServers: Record<string, unknown> = { ...options.mcpConfig };
  if (input.hostTools !== undefined) {
    mcpServers[input.hostTools.serverName] = { url: input.hostTools.url, headers: { Authorization: `Bearer ${input.hostTools.bearerToken}` } };
  }
  if (Object.keys(mcpServers).length > 0) {
    files.push({ key: AMP_MCP_CONFIG_FILE_KEY, content: JSON.stringify(mcpServers) });
    args.push("--mcp-config", `\${file:${AMP_MCP_CONFIG_FILE_KEY}}`);
  }

  args.push(...permissionArgs(input));
  args.push(...(options.extraArgs ?? []));

  return {
    args,
    env: {},
    stdin: prompt.endsWith("\n") ? prompt : `${prompt}\n`,
    closeStdin: true,
    ...(files.length > 0 ? { files } : {}),
  };
}

function continuationArgs(input: InvocationInput): string[] {
  const continuation = input.continuation;
  if (continuation === undefined) return [];
  if (continuation.strategy === "latest") return ["threads", "continue", "--last"];
  const id = continuation.providerSessionId.trim();
  if (id === "" || id.startsWith("-")) {
    throw configError(`invalid Amp thread id to continue: ${JSON.stringify(continuation.providerSessionId)}`, {
      provider: "amp",
    });
  }
  return ["threads", "continue", id];
}

function permissionArgs(input: InvocationInput): readonly string[] {
  const entries = Object.values(ampPermissionModes).filter(
    (entry): entry is NativePermissionMode => "nativeMode" in entry,
  );
  if (input.nativePermissionMode !== undefined) {
    const wanted = input.nativePermissionMode.trim().toLowerCase();
    const entry = entries.find((candidate) => candidate.nativeMode === wanted || candidate.aliases?.includes(wanted));
    if (entry === undefined) {
      throw configError(
        `unknown Amp permission mode ${JSON.stringify(input.nativePermissionMode)}; use one of ` +
          entries.map((candidate) => candidate.nativeMode).join(", "),
        { provider: "amp" },
      );
    }
    return entry.cliArgs;
  }
  if (input.permissionMode === undefined) return [];
  const entry = ampPermissionModes[input.permissionMode];
  if ("unsupported" in entry) {
    // The kernel refuses it first; a direct caller of the profile fails closed as well.
    throw new AsmError("unsupported", `permission mode "${input.permissionMode}" is not available for Amp: ${entry.unsupported}`, {
      provider: "amp",
      details: { key: "permissionMode", permissionMode: input.permissionMode },
    });
  }
  return entry.cliArgs;
}

function settingsFileContent(options: AmpProfileOptions): string | null {
  const settings: Record<string, unknown> = {};
  if (options.permissions !== undefined) settings["amp.permissions"] = options.permissions;
  if (options.tools !== undefined) settings["amp.tools.enable"] = options.tools;
  return Object.keys(settings).length === 0 ? null : JSON.stringify(settings, null, 2);
}
