import type { CommonProviderOptions } from "@asm/provider-utils";
import { z } from "zod";

const nonEmpty = z.string().trim().min(1);
// The CLI splits these list flags on commas, so an entry containing one would silently become two.
const listEntry = nonEmpty.refine((value) => !value.includes(","), { message: "must not contain a comma (the CLI splits on commas)" });

/**
 * Gemini-specific options (camelCase). The common keys (`cliPath`, `cwd`, `env`, `extraArgs`,
 * timeouts, the Ollama knobs…) are validated by the kernel and are not part of this schema.
 *
 * @example
 * ```ts
 * geminiOptionsSchema.parse({ model: "gemini-2.5-pro", extensions: ["git"], skipTrust: true });
 * ```
 */
export const geminiOptionsSchema = z.strictObject({
  /**
   * Model id passed as `--model`. Defaults to the catalog default (`gemini-2.5-flash`) so that the
   * CLI does not route every turn through an extra model-router request; `auto`, `pro`, `flash`
   * and `flash-lite` are the CLI's own aliases.
   */
  model: nonEmpty.optional(),
  /**
   * Replaces the CLI's built-in system prompt. Written to a private temporary file whose path is
   * given to the CLI in `GEMINI_SYSTEM_MD` (the CLI has no flag for it).
   */
  systemPrompt: z.string().min(1).optional(),
  /** Runs tools inside the CLI's sandbox (`--sandbox`; needs Docker, Podman or sandbox-exec). */
  sandbox: z.boolean().default(false),
  /** Only these installed extensions are loaded (`--extensions a,b`); all are loaded when absent. */
  extensions: z.array(listEntry).optional(),
  /** More directories the agent may work in besides `cwd` (`--include-directories`, repeated). */
  includeDirectories: z.array(listEntry).optional(),
  /** Only these configured MCP servers are started (`--allowed-mcp-server-names`). */
  allowedMcpServerNames: z.array(listEntry).optional(),
  /** Extra policy files or directories for the CLI's policy engine (`--policy`, repeated). */
  policy: z.array(listEntry).optional(),
  /**
   * Trusts `cwd` for this run (`--skip-trust`). Headless Gemini refuses to run in an untrusted
   * folder (exit 55) unless this is set, the folder is trusted, or `GEMINI_CLI_TRUST_WORKSPACE=true`.
   */
  skipTrust: z.boolean().default(false),
  /**
   * Starts a new Gemini CLI session with this id (`--session-id`) instead of a generated one. (Not
   * `sessionId`: that is the ASM session's id, which the kernel owns.)
   */
  cliSessionId: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: "only letters, digits, dashes and underscores are allowed" })
    .optional(),
  /**
   * Lets the CLI re-launch itself in a child Node process, as it does by default (to raise the
   * heap limit). Off by default: one process instead of two starts about a second faster, and
   * signals reach the CLI directly.
   */
  relaunch: z.boolean().default(false),
});

/** Validated Gemini options (output of {@link geminiOptionsSchema}). */
export type GeminiOptions = z.infer<typeof geminiOptionsSchema>;

/** Gemini options as a caller writes them (defaults may be left out). */
export type GeminiOptionsInput = z.input<typeof geminiOptionsSchema>;

/**
 * What Gemini's profile receives from the kernel: the Gemini keys validated (defaults applied) and
 * normalized once, alongside the common keys every provider accepts (`cwd`, `env`, `extraArgs`,
 * the Ollama route…), typed by `@asm/provider-utils`.
 */
export type GeminiProfileOptions = GeminiOptions & CommonProviderOptions;
