import { AsmError } from "@asm/contract";

/** The validated per-run knobs of an SDK lane (read from `BackendStartConfig.backendOptions`). */
export interface LaneRunOptions {
  cliPath?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** No message from the agent for this long ends the turn with a `timeout` (`idle`). */
  idleTimeoutMs: number;
  /** The turn may last this long in total before it ends with a `timeout` (`wall`). */
  wallTimeoutMs: number;
  /** Time between each step of stopping the agent process (stdin closed, SIGTERM, SIGKILL). */
  closeGraceMs: number;
  /** How much of the end of stderr is kept for classifying a crash. */
  stderrTailBytes: number;
}

/** How a lane names itself in the errors of {@link parseLaneRunOptions}. */
export interface LaneRunOptionsLabel {
  /** `the codex app-server lane`. */
  lane: string;
  provider: string;
  /** Why any other core-lane knob is refused (`the ACP SDK frames the agent's messages itself`). */
  refusal: string;
}

const DEFAULTS = { idleTimeoutMs: 300_000, wallTimeoutMs: 3_600_000, closeGraceMs: 2_000, stderrTailBytes: 8 * 1024 };

/** Accepted for parity with the core lane: no SDK lane puts the prompt on a command line. */
const ACCEPTED_NO_EFFECT = new Set(["maxArgvPromptBytes"]);

/**
 * Reads an SDK lane's `backendOptions`. Strict: a core-lane knob the lane cannot honour
 * (`maxLineBytes`, `checkVersion`, …) fails with `config_invalid` naming it, never silently.
 */
export function parseLaneRunOptions(value: Record<string, unknown>, label: LaneRunOptionsLabel): LaneRunOptions {
  const invalid = (key: string, why: string) =>
    new AsmError("config_invalid", `${label.lane} cannot honour ${key}: ${why}`, { provider: label.provider, details: { key } });
  const count = (raw: unknown, key: string, min: number): number => {
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min) throw invalid(key, `expected an integer >= ${min}`);
    return raw;
  };
  const options: LaneRunOptions = { ...DEFAULTS };
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || ACCEPTED_NO_EFFECT.has(key)) continue;
    switch (key) {
      case "cliPath":
      case "cwd":
        if (typeof raw !== "string" || raw === "") throw invalid(key, "expected a non-empty string");
        options[key] = raw;
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
        throw invalid(key, label.refusal);
    }
  }
  return options;
}
