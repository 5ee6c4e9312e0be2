import { AsmError, configError, type Invocation, type InvocationInput, type NativePermissionMode } from "@asm/contract";
import type { CodexProfileOptions } from "../options.js";
import { tomlString, tomlValue } from "./toml.js";
import { codexPermissionModes } from "./permission-modes.js";

/** The `Invocation.files` key of the output schema; the argument is `${file:output-schema}`. */
export const CODEX_OUTPUT_SCHEMA_FILE_KEY = "output-schema";

const MAX_THREAD_ID_BYTES = 512;

function permissionArgs(input: InvocationInput): readonly string[] {
  const entries = Object.entries(codexPermissionModes);
  if (input.nativePermissionMode !== undefined) {
    const wanted = input.nativePermissionMode.trim().toLowerCase();
    for (const [, entry] of entries) {
      if ("unsupported" in entry) continue;
      const native: NativePermissionMode = entry;
      if (native.nativeMode === wanted || native.aliases?.includes(wanted) === true) return native.cliArgs;
    }
    const known = entries.flatMap(([, entry]) => ("unsupported" in entry ? [] : [entry.nativeMode, ...(entry.aliases ?? [])]));
    throw configError(`unknown Codex permission mode "${input.nativePermissionMode}"; use one of ${known.join(", ")}`, {
      provider: "codex",
      details: { key: "nativePermissionMode" },
    });
  }
  const mode = input.permissionMode ?? "default";
  const entry = codexPermissionModes[mode];
  if ("unsupported" in entry) {
    throw new AsmError("unsupported", `permission mode "${mode}" is not available for Codex: ${entry.unsupported}`, {
      provider: "codex",
      details: { key: "permissionMode", permissionMode: mode },
    });
  }
  return entry.cliArgs;
}

function validThreadId(id: string): string {
  const bad =
    id.trim() !== id ||
    id === "" ||
    Buffer.byteLength(id) > MAX_THREAD_ID_BYTES ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(id);
  if (bad) {
    throw configError("continuation.providerSessionId must be a Codex thread id (a UUID from thread.started)", {
      provider: "codex",
      details: { key: "continuation.providerSessionId" },
    });
  }
  return id;
}

/**
 * Builds the `codex exec` command line for one run.
 *
 * Layout: `exec --json [--model M] [-c key=value…] [--skip-git-repo-check]
 * [--output-schema ${file:output-schema}] [--sandbox S] [--profile P] [--add-dir D…]
 * [permission flags] [extraArgs…] [resume [--last]] -- [thread id] -`.
 * Every option goes before `resume` (where `codex exec` accepts all of them). The prompt is
 * always written to stdin, with `-` as the positional (`codex exec` and `codex exec resume` read
 * it from there), so it never appears in the process list; stdin is then closed (Codex waits for
 * EOF before starting otherwise).
 *
 * `-c` overrides, in order: the OSS provider and model, `model_provider`, `model_reasoning_effort`,
 * `developer_instructions` (the system prompt), the run's host tools server
 * (`mcp_servers.<name>.url` and `.bearer_token_env_var`), then `configOverrides` (which
 * therefore win).
 *
 * The options arrive validated and normalized by the kernel (`codexOptionsSchema`,
 * `normalizeCodexOptions`: the Ollama surface already resolved to the OSS route); they are read as
 * they are.
 *
 * Throws `AsmError("unsupported")` for a permission mode Codex lacks, `config_invalid` for `sandbox` with
 * bypass, a bad thread id, or a system prompt too long for the command line.
 */
export function buildCodexInvocation(input: InvocationInput<CodexProfileOptions>): Invocation {
  const options = input.options;
  const args: string[] = ["exec", "--json"];
  const env: Record<string, string | undefined> = {};
  const files: Array<{ key: string; content: string }> = [];
  const config: Array<[string, string]> = [];

  const backend = options.providerBackend ?? "openai";
  const model = options.model;
  if (backend === "oss") {
    config.push(["model_provider", tomlString(options.ossProvider ?? "ollama")]);
    if (model !== undefined) config.push(["model", tomlString(model)]);
    const baseUrl = options.ollamaBaseUrl ?? options.env?.["CODEX_OSS_BASE_URL"];
    if (baseUrl !== undefined && baseUrl !== "") env.CODEX_OSS_BASE_URL = baseUrl;
  } else {
    if (model !== undefined) args.push("--model", model);
    if (options.modelProvider !== undefined) config.push(["model_provider", tomlString(options.modelProvider)]);
  }

  if (options.reasoningEffort !== undefined) config.push(["model_reasoning_effort", tomlString(options.reasoningEffort)]);

  const systemPrompt = options.systemPrompt;
  if (systemPrompt !== undefined) {
    if (Buffer.byteLength(systemPrompt) > input.maxArgvPromptBytes) {
      throw configError(
        `systemPrompt is longer than ${input.maxArgvPromptBytes} bytes and Codex only takes it on the command line; shorten it or put it in the prompt`,
        { provider: "codex", details: { key: "systemPrompt" } },
      );
    }
    config.push(["developer_instructions", tomlString(systemPrompt)]);
  }

  if (input.hostTools !== undefined) {
    // Codex reads the bearer token from the variable the core lane sets; it never goes on the command line.
    const server = `mcp_servers.${input.hostTools.serverName}`;
    config.push([`${server}.url`, tomlString(input.hostTools.url)]);
    config.push([`${server}.bearer_token_env_var`, tomlString(input.hostTools.bearerTokenEnv)]);
  }
  for (const [key, value] of Object.entries(options.configOverrides ?? {})) config.push([key, tomlValue(value, `configOverrides.${key}`)]);
  for (const [key, value] of config) args.push("-c", `${key}=${value}`);

  if (options.skipGitRepoCheck) args.push("--skip-git-repo-check");

  const schema = options.outputSchema;
  if (schema !== undefined) {
    files.push({ key: CODEX_OUTPUT_SCHEMA_FILE_KEY, content: JSON.stringify(schema) });
    args.push("--output-schema", `\${file:${CODEX_OUTPUT_SCHEMA_FILE_KEY}}`);
  }

  const sandbox = options.sandbox;
  const permission = permissionArgs(input);
  if (sandbox !== undefined && permission.includes("--dangerously-bypass-approvals-and-sandbox")) {
    throw configError('sandbox cannot be combined with permissionMode "bypass" (bypass turns the sandbox off); remove one', {
      provider: "codex",
      details: { key: "sandbox" },
    });
  }
  if (sandbox !== undefined) args.push("--sandbox", sandbox);
  if (options.profile !== undefined) args.push("--profile", options.profile);
  for (const dir of options.additionalDirectories ?? []) args.push("--add-dir", dir);
  args.push(...permission);

  args.push(...(options.extraArgs ?? []));

  const positionals: string[] = [];
  if (input.continuation?.strategy === "exact") {
    args.push("resume");
    positionals.push(validThreadId(input.continuation.providerSessionId));
  } else if (input.continuation?.strategy === "latest") {
    args.push("resume", "--last");
  }

  // The prompt never goes on the command line, where every local user can read it (`ps`).
  positionals.push("-");
  args.push("--", ...positionals);

  const codexHome = options.env?.["CODEX_HOME"];
  if (codexHome !== undefined && codexHome !== "") env.CODEX_HOME = codexHome;

  return {
    args,
    env,
    stdin: input.prompt,
    closeStdin: true,
    ...(files.length > 0 ? { files } : {}),
  };
}
