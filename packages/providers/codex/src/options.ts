import type { CommonProviderOptions } from "@asm/provider-utils";
import { z } from "zod";
import { isTomlEncodable } from "./internal/toml.js";

/** Reasoning efforts `codex exec` 0.169.0 accepts for `model_reasoning_effort`. */
const CODEX_REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;

/** How Codex reaches a model: OpenAI, a local open-source server, or a provider from `config.toml`. */
const CODEX_PROVIDER_BACKENDS = ["openai", "oss", "model_provider"] as const;

/** Local servers Codex's open-source route knows. */
const CODEX_OSS_PROVIDERS = ["ollama", "lmstudio"] as const;

/** `codex exec --sandbox` policies. */
const CODEX_SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;

// Dotted bare keys only: codex splits `-c key=value` at the first `=`, and quoted segments would
// have to survive a shell-free argv round trip for no real gain.
const CONFIG_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const nonEmpty = z.string().trim().min(1);

/**
 * Codex-specific options (camelCase). The common keys (`cliPath`, `cwd`, `env`, `extraArgs`, the
 * `ollama*` surface, timeouts…) are validated by the kernel and must not appear here. Unknown keys
 * fail validation.
 *
 * @example
 * ```ts
 * codexOptionsSchema.parse({ model: "gpt-5.5", reasoningEffort: "high", skipGitRepoCheck: true });
 * ```
 */
export const codexOptionsSchema = z.strictObject({
  /** Model id passed as `--model` (or as the OSS model); unset lets the CLI pick its default. */
  model: nonEmpty.optional(),
  /** Extra instructions for the agent, sent as `-c developer_instructions=…` (added to Codex's own). */
  systemPrompt: z.string().min(1).optional(),
  /** Reasoning effort, sent as `-c model_reasoning_effort=…`. */
  reasoningEffort: z.enum(CODEX_REASONING_EFFORTS).optional(),
  /**
   * Where the model runs: `openai` (the CLI's default provider), `oss` (a local open-source server
   * such as Ollama; see `ossProvider`), or `model_provider` (a provider defined in Codex's config,
   * named by `modelProvider`).
   */
  providerBackend: z.enum(CODEX_PROVIDER_BACKENDS).optional(),
  /** The `model_providers.<id>` entry to use, sent as `-c model_provider=…`; implies `providerBackend: "model_provider"`. */
  modelProvider: nonEmpty.optional(),
  /** The local server of the `oss` backend (default `ollama`). */
  ossProvider: z.enum(CODEX_OSS_PROVIDERS).optional(),
  /** Pass `--skip-git-repo-check`: allow running outside a Git repository (the CLI refuses otherwise). */
  skipGitRepoCheck: z.boolean().default(false),
  /** A JSON Schema for the final answer; the result then carries the decoded `structuredOutput`. */
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  /** Directories writable alongside the working directory (`--add-dir`, repeated). */
  additionalDirectories: z.array(nonEmpty).optional(),
  /**
   * Raw Codex configuration overrides, each sent as `-c <key>=<value>` with the value encoded as
   * TOML (strings quoted, objects as inline tables). Applied after the options above, so they win.
   */
  configOverrides: z
    .record(z.string().regex(CONFIG_KEY, "must be a dotted key such as `model_providers.local.base_url`"), z.unknown())
    .superRefine((record, context) => {
      for (const [key, value] of Object.entries(record)) {
        if (!isTomlEncodable(value)) {
          context.addIssue({
            code: "custom",
            path: [key],
            message: "value must be a string, finite number, boolean, array or object (TOML has no null)",
          });
        }
      }
    })
    .optional(),
  /** Sandbox policy for model-generated commands (`--sandbox`); not combinable with `permissionMode: "bypass"`. */
  sandbox: z.enum(CODEX_SANDBOX_MODES).optional(),
  /** A configuration profile (`--profile`): layers `$CODEX_HOME/<name>.config.toml` over the user config. */
  profile: nonEmpty.optional(),
});

/** Validated Codex options (after defaults). */
export type CodexOptions = z.output<typeof codexOptionsSchema>;
/** Codex options as a caller writes them. */
export type CodexOptionsInput = z.input<typeof codexOptionsSchema>;

/**
 * What Codex's profile receives from the kernel: the Codex keys validated (defaults applied) and
 * normalized once, alongside the common keys every provider accepts (`cwd`, `env`, `extraArgs`,
 * the Ollama route…), typed by `@asm/provider-utils`.
 */
export type CodexProfileOptions = CodexOptions & CommonProviderOptions;
