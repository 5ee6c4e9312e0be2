import { AsmError } from "@asm/contract";

/** Validated run options of the Claude SDK lane. */
export interface SdkLaneRunOptions {
  cliPath?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** No message from the agent for this long ends the turn with a `timeout` (`idle`). */
  idleTimeoutMs: number;
  /** The turn may last this long in total before it ends with a `timeout` (`wall`). */
  wallTimeoutMs: number;
  /** Time between SIGTERM and SIGKILL when the agent process is stopped. */
  closeGraceMs: number;
  /** How much of the end of stderr is kept for classifying a crash. */
  stderrTailBytes: number;
}

const DEFAULTS = { idleTimeoutMs: 300_000, wallTimeoutMs: 3_600_000, closeGraceMs: 2_000, stderrTailBytes: 8 * 1024 };

/** Accepted for parity with the core lane: the SDK lane never puts the prompt on a command line. */
const ACCEPTED_NO_EFFECT = new Set(["maxArgvPromptBytes"]);

function invalid(key: string, why: string): AsmError {
  return new AsmError("config_invalid", `the claude sdk lane cannot honour ${key}: ${why}`, { provider: "claude", details: { key } });
}

function text(value: unknown, key: string): string {
  if (typeof value !== "string" || value === "") throw invalid(key, "expected a non-empty string");
  return value;
}

function count(value: unknown, key: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw invalid(key, `expected an integer >= ${min}`);
  return value;
}

/**
 * Reads `backendOptions`. Strict: a core-lane knob this lane cannot honour (`maxLineBytes`: the
 * SDK frames the CLI's output itself; `checkVersion`) fails with `config_invalid` naming it.
 */
export function parseSdkLaneRunOptions(value: Record<string, unknown>): SdkLaneRunOptions {
  const options: SdkLaneRunOptions = { ...DEFAULTS };
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || ACCEPTED_NO_EFFECT.has(key)) continue;
    switch (key) {
      case "cliPath":
        options.cliPath = text(raw, key);
        break;
      case "cwd":
        options.cwd = text(raw, key);
        break;
      case "env":
        if (typeof raw !== "object" || raw === null || Object.values(raw).some((entry) => entry !== undefined && typeof entry !== "string")) {
          throw invalid(key, "expected an object of strings");
        }
        options.env = raw as Record<string, string | undefined>;
        break;
      case "idleTimeoutMs":
      case "wallTimeoutMs":
      case "stderrTailBytes":
        options[key] = count(raw, key, 1);
        break;
      case "closeGraceMs":
        options.closeGraceMs = count(raw, key, 0);
        break;
      default:
        throw invalid(key, "it is not an option of this lane (the Claude Agent SDK reads the CLI's output itself)");
    }
  }
  return options;
}
