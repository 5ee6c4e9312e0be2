import { z } from "zod";
import { AsmError } from "@asm/contract";

/** The longest delay a Node timer honours: a longer one fires at once, so it is refused. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const positiveInt = z.number().int().positive();
const timerMs = positiveInt.max(MAX_TIMER_MS);
const nonNegativeTimerMs = z.number().int().nonnegative().max(MAX_TIMER_MS);
/** A variable name a process environment can hold. */
const envName = z.string().regex(/^[^=\0]+$/, "a variable name must be non-empty and hold no '=' or NUL");
/** A value without NUL (the environment block is NUL-separated). */
const envValue = z.string().regex(/^[^\0]*$/, "a variable value must hold no NUL");

/**
 * Runtime knobs of one core-lane run, read from `BackendStartConfig.backendOptions`. Strict:
 * unknown keys are rejected so a misspelt timeout cannot silently fall back to its default.
 */
export const coreLaneRunOptionsSchema = z.strictObject({
  /** Explicit CLI path or command name; wins over the profile's env var, PATH and known paths. */
  cliPath: z.string().min(1).optional(),
  /** Working directory of the CLI (already resolved by the kernel); defaults to the workspace root, then `process.cwd()`. */
  cwd: z.string().min(1).optional(),
  /** Extra environment variables for the CLI (`undefined` removes an inherited one). */
  env: z.record(envName, envValue.optional()).optional(),
  /** Names of further variables whose values are redacted from events and errors (the known API key variables always are). */
  secretEnv: z.array(z.string().min(1)).optional(),
  /** No stdout or stderr output for this long ends the run with a `timeout` (`idle`). */
  idleTimeoutMs: timerMs.default(300_000),
  /** The run may last this long in total before it ends with a `timeout` (`wall`). */
  wallTimeoutMs: timerMs.default(3_600_000),
  /** Longest accepted stdout line; a longer one ends the run with `buffer_overflow`. */
  maxLineBytes: positiveInt.default(32 * 1024 * 1024),
  /** How much of the end of stderr is kept for exit classification. */
  stderrTailBytes: positiveInt.default(8 * 1024),
  /** Time between SIGTERM and SIGKILL when the process group is closed. */
  closeGraceMs: nonNegativeTimerMs.default(2_000),
  /** After the outcome event, how long the CLI may take to exit by itself before it is closed. */
  completionGraceMs: nonNegativeTimerMs.default(500),
  /** Prompts longer than this (bytes) are kept off the command line (the profile uses stdin or a file). */
  maxArgvPromptBytes: positiveInt.default(100_000),
  /** Run the CLI's version command once per binary and warn outside the supported range. */
  checkVersion: z.boolean().default(true),
});

/** Validated core-lane run options, defaults applied. */
export type CoreLaneRunOptions = z.output<typeof coreLaneRunOptionsSchema>;

/** Core-lane run options as a caller writes them (every key with a default may be left out). */
export type CoreLaneRunOptionsInput = z.input<typeof coreLaneRunOptionsSchema>;

/**
 * Validates `backendOptions` (merged over backend-level defaults). Throws
 * `AsmError("config_invalid")` naming the offending keys.
 */
export function parseCoreLaneRunOptions(
  value: Record<string, unknown> | undefined,
  defaults: CoreLaneRunOptionsInput = {},
): CoreLaneRunOptions {
  const merged = { ...defaults, ...stripUndefined(value ?? {}) };
  const parsed = coreLaneRunOptionsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AsmError("config_invalid", `invalid core lane options: ${z.prettifyError(parsed.error)}`, {
      details: { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })) },
    });
  }
  return parsed.data;
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}
