import type { CommonProviderOptions } from "@asm/provider-utils";
import { z } from "zod";

/**
 * One Amp permission rule, the shape Amp's `amp.permissions` setting takes (and the Amp SDK's
 * `Permission` type): which tool, what to do, and optionally which arguments it matches.
 */
const ampPermissionRuleSchema = z
  .looseObject({
    /** Tool name or glob (`Bash`, `mcp__github__*`). */
    tool: z.string().trim().min(1),
    /** `allow` runs without asking, `reject` refuses, `ask` prompts, `delegate` asks the program in `to`. */
    action: z.enum(["allow", "reject", "ask", "delegate"]),
    /** Argument patterns (globs, `/regex/`, nested objects), keyed by argument name. */
    matches: z.record(z.string(), z.unknown()).optional(),
    /** Restrict the rule to the main thread or to subagents. */
    context: z.enum(["thread", "subagent"]).optional(),
    /** The program that decides, for `action: "delegate"`. */
    to: z.string().trim().min(1).optional(),
  })
  .refine((rule) => rule.action !== "delegate" || rule.to !== undefined, {
    message: 'a rule with action "delegate" needs "to" (the program that decides)',
    path: ["to"],
  });

const stdioServerSchema = z.looseObject({
  command: z.string().trim().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  disabled: z.boolean().optional(),
});

const httpServerSchema = z.looseObject({
  url: z.string().trim().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  transport: z.string().optional(),
  oauth: z.looseObject({}).optional(),
  disabled: z.boolean().optional(),
});

/** One MCP server: a local command (stdio) or a remote URL (HTTP), as Amp's `--mcp-config` accepts. */
const ampMcpServerSchema = z.union([stdioServerSchema, httpServerSchema]);

/** MCP servers keyed by name, merged by Amp with the servers of its settings. */
const ampMcpConfigSchema = z.record(z.string().trim().min(1), ampMcpServerSchema);

/**
 * Amp's provider-specific options (camelCase; unknown keys fail). The common keys (`cliPath`,
 * `cwd`, `env`, `extraArgs`, the Ollama knobs, timeouts…) are validated by the kernel and are not
 * declared here. There is no `systemPrompt` or `maxTurns`: the Amp CLI has neither, so both are
 * rejected as unknown keys.
 */
export const ampOptionsSchema = z.strictObject({
  /**
   * Refused with `config_invalid` when set: Amp has no model flag and picks the model from its
   * `mode`, so a model ASM cannot send fails closed instead of being reported but ignored. Declared
   * so the error can say so rather than "unknown option".
   */
  model: z.string().trim().min(1).optional(),
  /**
   * Agent mode, passed as `--mode` (it chooses the model, system prompt and tools). Amp
   * 0.0.1790142911 lists `low`, `medium`, `high`, `ultra` or a plugin mode (key or label,
   * case-insensitive); older builds used `smart`, `rush`, `large`. When unset no flag is sent
   * and Amp uses its own default mode.
   */
  mode: z.string().trim().min(1).optional(),
  /** Include thinking blocks in the stream (`--stream-json-thinking` instead of `--stream-json`). */
  includeThinking: z.boolean().optional(),
  /**
   * Permission rules (`amp.permissions`). They are written, with `tools`, to a temporary settings
   * file passed as `--settings-file`, which takes the place of the user's default settings file
   * for the run. Cannot be combined with `settingsFile`.
   */
  permissions: z.array(ampPermissionRuleSchema).optional(),
  /** MCP servers for this run, written to a private temporary file passed as `--mcp-config`. */
  mcpConfig: ampMcpConfigSchema.optional(),
  /**
   * Tool name patterns to enable (`amp.tools.enable`, globs such as `mcp__metabase__*`); only
   * matching tools are available. Written to the temporary settings file like `permissions`.
   */
  tools: z.array(z.string().trim().min(1)).optional(),
  /**
   * An Amp settings file to use instead of the default one (`--settings-file`). Put
   * `amp.permissions` / `amp.tools.enable` in it rather than combining it with `permissions` or
   * `tools`.
   */
  settingsFile: z.string().trim().min(1).optional(),
});

/** Validated Amp options (provider-specific keys only). */
export type AmpOptions = z.output<typeof ampOptionsSchema>;

/** Amp options as a caller writes them. */
export type AmpOptionsInput = z.input<typeof ampOptionsSchema>;

/**
 * What Amp's profile receives from the kernel: the Amp keys validated (defaults applied) and
 * normalized once, alongside the common keys every provider accepts (`cwd`, `env`, `extraArgs`,
 * the Ollama route…), typed by `@asm/provider-utils`.
 */
export type AmpProfileOptions = AmpOptions & CommonProviderOptions;
