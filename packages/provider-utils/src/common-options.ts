import { z } from "zod";

/** The longest delay a Node timer honours (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Provider options every provider accepts. The kernel validates them together with the
 * provider's own schema, which must not redeclare these keys; a provider's invocation builder and
 * normalization read them from the merged options.
 *
 * @example
 * ```ts
 * commonProviderOptionsSchema.parse({ cwd: "/repo", extraArgs: ["--debug"] });
 * ```
 */
export const commonProviderOptionsSchema = z.strictObject({
  /** Explicit path of the provider's CLI binary (else its env var, PATH, known locations). */
  cliPath: z.string().min(1).optional(),
  /** Working directory of the CLI process (defaults to `executionEnvironment.workspaceRoot`). */
  cwd: z.string().min(1).optional(),
  /** Environment variables added for the CLI process. */
  env: z.record(z.string(), z.string()).optional(),
  /**
   * Names of further variables whose values are secrets (in `env` or the host's environment):
   * redacted from everything ASM emits, logs or throws, like the known API key variables.
   */
  secretEnv: z.array(z.string().min(1)).optional(),
  /** Extra CLI arguments appended to the provider's own. */
  extraArgs: z.array(z.string()).optional(),
  /** Route the provider through an Ollama-compatible server (Claude and Codex only). */
  ollama: z.boolean().optional(),
  /** The Ollama model id. */
  ollamaModel: z.string().min(1).optional(),
  /** The Ollama server's base URL. */
  ollamaBaseUrl: z.string().url().optional(),
  /** Kill the run when the CLI prints nothing for this long (ms, at most 2^31 - 1: a Node timer's limit). */
  idleTimeoutMs: z.number().int().positive().max(MAX_TIMER_MS).optional(),
  /** Kill the run when it lasts longer than this (ms, at most 2^31 - 1). */
  wallTimeoutMs: z.number().int().positive().max(MAX_TIMER_MS).optional(),
  /** Largest accepted stdout line (bytes); longer lines fail the run with `buffer_overflow`. */
  maxLineBytes: z.number().int().positive().optional(),
});

/** The common provider options. */
export type CommonProviderOptions = z.infer<typeof commonProviderOptionsSchema>;

/** Names of the common provider option keys. */
export const COMMON_PROVIDER_OPTION_KEYS: readonly string[] = Object.keys(commonProviderOptionsSchema.shape);
