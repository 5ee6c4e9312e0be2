import { parseArgs } from "node:util";
import { isAsmError, type PermissionMode, type ProviderDefinition } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { resolveCli } from "@asm/core-lane";
import { exitCodeFor, findProvider, loadProviders, ollamaOptionsFromFlags, resolvePermissionFlags, sshSurfaceFromFlags, usageError } from "@asm/cli";

/** What an example says about itself in its usage text. */
export interface ExampleMeta {
  /** Script name (`live-query`). */
  name: string;
  /** One line on what it shows. */
  summary: string;
  /** The sentinel the model is asked to reply with. */
  sentinel: string;
}

/** The flags every live example accepts. */
export const EXAMPLE_FLAGS = {
  provider: { type: "string" },
  lane: { type: "string" },
  prompt: { type: "string" },
  model: { type: "string" },
  "cli-path": { type: "string" },
  "permission-mode": { type: "string" },
  "danger-full-access": { type: "boolean" },
  cwd: { type: "string" },
  "ssh-host": { type: "string" },
  "ssh-user": { type: "string" },
  "ssh-port": { type: "string" },
  "ssh-identity-file": { type: "string" },
  ollama: { type: "boolean" },
  "ollama-model": { type: "string" },
  "ollama-base-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A parsed example command line, ready for `asm.query` / `startSession`. */
export interface ExampleConfig {
  provider: ProviderDefinition;
  /** The prompt (`--prompt`, else the example's sentinel request). */
  prompt: string;
  /** The effective normalized permission mode and where it came from. */
  permission: { mode: PermissionMode; source: string };
  /** Session options: lane, model, CLI path, cwd, permission mode, surface, Ollama. */
  options: Record<string, unknown>;
  /** Whether the reply can be held to the exact sentinel (not for unvalidated Codex or Ollama models). */
  checkSentinel: boolean;
  /** Whether the CLI runs over ssh (no local preflight then). */
  remote: boolean;
}

/** The usage text of an example. */
export function usage(meta: ExampleMeta): string {
  return `${meta.name} — ${meta.summary}

usage: pnpm --filter @asm/examples ${meta.name.replace(/^live-/, "").replace("session-lifecycle", "session")} --provider <claude|codex|gemini|amp> [flags]

  --provider <name>          required; without it this text is printed and the example exits 0
  --lane <core|auto|sdk>     backend lane (default core)
  --prompt <text>            replaces the default prompt (then no sentinel check)
  --model <id>               model id or alias
  --cli-path <path>          the provider CLI to run
  --permission-mode <mode>   default | auto | bypass | plan, or a native name
  --danger-full-access       same as --permission-mode bypass
                             (precedence: --permission-mode > --danger-full-access >
                             ASM_PERMISSION_MODE > bypass)
  --cwd <dir>                working directory of the agent
  --ssh-host <[user@]host>   run the CLI over ssh (--ssh-user, --ssh-port, --ssh-identity-file)
  --ollama, --ollama-model <id>, --ollama-base-url <url>   Claude and Codex only

The example asks the model to reply with exactly ${meta.sentinel} and checks that it did.
`;
}

/**
 * Parses an example's arguments. Returns null after printing the usage when `--provider` is
 * missing (or with `--help`), so the caller exits 0. Throws usage errors for bad flags.
 */
export function parseExampleArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, meta: ExampleMeta, print: (text: string) => void = (text) => process.stdout.write(text)): ExampleConfig | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: withoutSeparator(argv), options: EXAMPLE_FLAGS, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    throw usageError(`${meta.name}: ${(error as Error).message}`);
  }
  const str = (key: string) => (typeof values[key] === "string" ? (values[key]) : undefined);
  if (values.help === true || str("provider") === undefined) {
    print(usage(meta));
    return null;
  }
  const provider = findProvider(str("provider")!, loadProviders());
  const lane = str("lane") ?? "core";
  if (!["core", "auto", "sdk"].includes(lane)) throw usageError(`--lane must be core, auto or sdk (got "${lane}")`);

  const asm = createAsm({ providers: [provider] });
  const permission = resolvePermissionFlags(
    { flag: str("permission-mode"), dangerFullAccess: values["danger-full-access"] === true, envValue: env.ASM_PERMISSION_MODE, fallback: "bypass" },
    (native) => asm.permissionMode(provider.name, native).normalizedMode,
  )!;

  const options: Record<string, unknown> = { lane, permissionMode: permission.mode };
  const model = str("model");
  if (model !== undefined) options.model = model;
  if (str("cli-path") !== undefined) options.cliPath = str("cli-path");
  if (str("cwd") !== undefined) options.cwd = str("cwd");
  const surface = sshSurfaceFromFlags({ sshHost: str("ssh-host"), sshUser: str("ssh-user"), sshPort: str("ssh-port"), sshIdentityFile: str("ssh-identity-file") });
  if (surface !== undefined) options.executionSurface = surface;
  const ollama = ollamaOptionsFromFlags({ ollama: values.ollama === true, ollamaModel: str("ollama-model"), ollamaBaseUrl: str("ollama-base-url") });
  Object.assign(options, ollama);

  // Small local models and models ASM has not validated do not reliably echo an exact token.
  const unvalidatedCodexModel = provider.name === "codex" && model !== undefined && !provider.models.models.some((entry) => entry.id === model || (entry.aliases ?? []).includes(model));
  const prompt = str("prompt");
  return {
    provider,
    prompt: prompt ?? `Reply with exactly: ${meta.sentinel}`,
    permission,
    options,
    checkSentinel: prompt === undefined && ollama.ollama !== true && !unvalidatedCodexModel,
    remote: surface !== undefined,
  };
}

/** Drops the `--` that `pnpm <script> -- <flags>` passes through. */
export function withoutSeparator(argv: readonly string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : [...argv];
}

/** One line naming the permission mode, the provider's native term and the flag it becomes. */
export function describePermission(asm: Asm, config: ExampleConfig): string {
  const entry = config.provider.permissionModes[config.permission.mode];
  if ("unsupported" in entry) return `permission: ${config.permission.mode} (${config.permission.source}) — unsupported by ${config.provider.name}: ${entry.unsupported}`;
  const flags = entry.cliArgs.length > 0 ? entry.cliArgs.join(" ") : "no flag, the CLI's default";
  const native = asm.manifest(config.provider.name).permissionModes[entry.nativeMode];
  return `permission: ${config.permission.mode} (${config.permission.source}) → ${config.provider.name} ${native?.nativeMode ?? entry.nativeMode} (${flags})`;
}

/**
 * Checks that the provider's CLI can be found before running (skipped over ssh). Returns an
 * error line with the install hint, or null.
 */
export function preflight(config: ExampleConfig, env: Readonly<Record<string, string | undefined>>): string | null {
  if (config.remote || config.provider.profile === undefined) return null;
  try {
    resolveCli(config.provider.profile.cli, { cliPath: config.options.cliPath as string | undefined, env });
    return null;
  } catch (error) {
    const reason = isAsmError(error) ? error.reason : String(error);
    return `${config.provider.name} CLI not found: ${reason.split(". Looked at:")[0]}\ninstall: ${config.provider.profile.cli.installHint}`;
  }
}

/** Whether a reply is exactly the sentinel (surrounding whitespace and one trailing period allowed). */
export function matchesSentinel(text: string, sentinel: string): boolean {
  return text.trim().replace(/\.$/, "") === sentinel;
}

/**
 * Runs an example's body with the shared behaviour: usage without `--provider`, CLI preflight,
 * the permission line, and errors turned into a message and the `asm` exit code.
 */
export async function runExample(meta: ExampleMeta, body: (asm: Asm, config: ExampleConfig) => Promise<boolean>): Promise<number> {
  let config: ExampleConfig | null;
  try {
    config = parseExampleArgs(process.argv.slice(2), process.env, meta);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage(meta)}`);
    return exitCodeFor(error);
  }
  if (config === null) return 0;
  const missing = preflight(config, process.env);
  if (missing !== null) {
    process.stderr.write(`${missing}\n`);
    return 4;
  }
  const asm = createAsm({ providers: loadProviders() });
  try {
    process.stdout.write(`${describePermission(asm, config)}\n`);
    const ok = await body(asm, config);
    return ok ? 0 : 1;
  } catch (error) {
    const message = isAsmError(error) ? `${error.code}: ${error.reason}` : String(error);
    process.stderr.write(`${meta.name} failed: ${message}\n`);
    return exitCodeFor(error);
  } finally {
    await asm.dispose();
  }
}

/** Prints the sentinel verdict and returns whether the example passed. */
export function verdict(meta: ExampleMeta, config: ExampleConfig, text: string): boolean {
  if (!config.checkSentinel) {
    process.stdout.write(`sentinel check skipped (custom prompt, Ollama, or a model ASM has not validated)\n`);
    return true;
  }
  if (matchesSentinel(text, meta.sentinel)) {
    process.stdout.write(`${meta.sentinel} ✔\n`);
    return true;
  }
  process.stdout.write(`expected exactly ${meta.sentinel}, got: ${JSON.stringify(text)}\n`);
  return false;
}
