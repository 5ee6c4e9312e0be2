import type { CommonProviderOptions } from "@asm/provider-utils";
import { z } from "zod";

/** Reasoning effort levels accepted by `claude --effort`. */
const CLAUDE_EFFORT_LEVELS = ["low", "medium", "high", "xhigh", "max"] as const;

/** Settings files `claude --setting-sources` can load. */
const CLAUDE_SETTING_SOURCES = ["user", "project", "local"] as const;

/** Where Claude Code sends its model requests. */
const CLAUDE_PROVIDER_BACKENDS = ["anthropic", "ollama"] as const;

const nonEmpty = z.string().trim().min(1);

/**
 * Claude Code's provider options. Strict: an unknown key fails validation and the error names it.
 *
 * The kernel validates the common keys (`cliPath`, `cwd`, `env`, `extraArgs`, the `ollama*` keys,
 * timeouts, buffer caps) with its own schema and merges them in; they are deliberately absent
 * here. The permission mode arrives separately as `permissionMode`/`nativePermissionMode`, and
 * resuming comes from the run's `continuation`.
 *
 * @example
 * ```ts
 * claudeOptionsSchema.parse({ model: "sonnet", allowRules: ["Read", "Bash(git *)"], maxTurns: 5 });
 * ```
 */
export const claudeOptionsSchema = z.strictObject({
  /** Model id or alias (`opus`, `sonnet`, `claude-opus-5-5`); on the Ollama route, a canonical name or an Ollama model id. */
  model: nonEmpty.optional(),
  /** Replaces Claude Code's default system prompt (`--system-prompt`). */
  systemPrompt: z.string().optional(),
  /** Text appended to the system prompt (`--append-system-prompt`). */
  appendSystemPrompt: z.string().optional(),
  /** `anthropic` (default) or `ollama`: Ollama's Anthropic-compatible API through `ANTHROPIC_BASE_URL`. */
  providerBackend: z.enum(CLAUDE_PROVIDER_BACKENDS).optional(),
  /** Canonical Claude model name → external (Ollama) model id, used on the Ollama route (`{ haiku: "llama3.2" }`). */
  externalModelOverrides: z.record(z.string(), nonEmpty).optional(),
  /** Base URL of the Anthropic-compatible API, exported as `ANTHROPIC_BASE_URL`. */
  anthropicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token exported as `ANTHROPIC_AUTH_TOKEN` (`"ollama"` on the Ollama route unless set). */
  anthropicAuthToken: nonEmpty.optional(),
  /** `true` turns extended thinking on (`--thinking enabled`), `false` off (`--thinking disabled`); unset keeps the CLI's choice. */
  includeThinking: z.boolean().optional(),
  /** Maximum number of agent turns (`--max-turns`). */
  maxTurns: z.number().int().positive().optional(),
  /**
   * Tool calls allowed without asking, as Claude Code permission rules (`Read`, `Bash(git *)`),
   * sent as `--allowedTools`. Not the kernel's `allowedTools`, which is a list of tool names ASM
   * enforces for every provider.
   */
  allowRules: z.array(nonEmpty).optional(),
  /** Tool calls that are always denied, as permission rules (`Bash(rm *)`), sent as `--disallowedTools`. */
  denyRules: z.array(nonEmpty).optional(),
  /** More directories the agent may access besides the working directory (`--add-dir`). */
  additionalDirectories: z.array(nonEmpty).optional(),
  /**
   * MCP servers: a config object (`{ mcpServers: { … } }`, or the servers map alone), written to a
   * private temporary file; or a path or JSON string passed through as given (`--mcp-config`).
   */
  mcpConfig: z.union([nonEmpty, z.record(z.string(), z.unknown())]).optional(),
  /** Use only the servers from `mcpConfig`, ignoring every other MCP configuration (`--strict-mcp-config`). */
  strictMcpConfig: z.boolean().optional(),
  /**
   * Stream partial text as `assistant_delta` events (`--include-partial-messages`). On by
   * default, because streaming is what `stream()` promises; `false` gives whole
   * `assistant_message` events only.
   */
  includePartialMessages: z.boolean().default(true),
  /** JSON Schema the final answer must satisfy; the parsed object lands in `result.structuredOutput` (`--json-schema`). */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
  /** Reasoning effort for the session (`--effort`). */
  effort: z.enum(CLAUDE_EFFORT_LEVELS).optional(),
  /** Model to fall back to when the main model is busy or unavailable (`--fallback-model`). */
  fallbackModel: nonEmpty.optional(),
  /** Which settings files to load; an empty list loads none (`--setting-sources`). */
  settingSources: z.array(z.enum(CLAUDE_SETTING_SOURCES)).optional(),
  /**
   * An MCP tool that answers permission prompts (`--permission-prompt-tool <tool>`). When set,
   * approvals go to that tool instead of ASM's approval flow.
   */
  permissionPromptTool: nonEmpty.optional(),
  /**
   * Drive Claude Code over its stdio control protocol (stream-json input): approvals arrive as
   * `approval_requested` events and are answered from `approve()`, interrupts stop the turn
   * without killing the process, and follow-up messages can be sent. `false` uses plain print
   * mode (prompt on the command line, no approvals). Default `true`.
   */
  controlProtocol: z.boolean().default(true),
});

/** Validated Claude options (defaults applied). */
export type ClaudeOptions = z.output<typeof claudeOptionsSchema>;

/** Claude options as a caller writes them. */
export type ClaudeOptionsInput = z.input<typeof claudeOptionsSchema>;

/**
 * What Claude's profile receives from the kernel: the Claude keys validated (defaults applied) and
 * normalized once, alongside the common keys every provider accepts (`cwd`, `env`, `extraArgs`,
 * the Ollama route…), typed by `@asm/provider-utils`.
 */
export type ClaudeProfileOptions = ClaudeOptions & CommonProviderOptions;
