import { AsmError } from "@asm/contract";

/** Validated run options of an ACP lane. */
export interface AcpRunOptions {
  cliPath?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  idleTimeoutMs: number;
  wallTimeoutMs: number;
  closeGraceMs: number;
}

function invalid(key: string, why: string): AsmError {
  return new AsmError("config_invalid", `the ACP lane cannot honour ${key}: ${why}`, { details: { key } });
}

function count(value: unknown, key: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw invalid(key, `expected an integer >= ${min}`);
  return value;
}

/** Reads `backendOptions`; a knob the lane cannot honour fails with `config_invalid` naming it. */
export function parseAcpRunOptions(value: Record<string, unknown>): AcpRunOptions {
  const options: AcpRunOptions = { idleTimeoutMs: 300_000, wallTimeoutMs: 3_600_000, closeGraceMs: 2_000 };
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || key === "maxArgvPromptBytes") continue;
    switch (key) {
      case "cliPath":
      case "cwd":
        if (typeof raw !== "string" || raw === "") throw invalid(key, "expected a non-empty string");
        options[key] = raw;
        break;
      case "env":
        if (typeof raw !== "object" || raw === null) throw invalid(key, "expected an object of strings");
        options.env = raw as Record<string, string | undefined>;
        break;
      case "idleTimeoutMs":
      case "wallTimeoutMs":
        options[key] = count(raw, key, 1);
        break;
      case "closeGraceMs":
        options.closeGraceMs = count(raw, key, 0);
        break;
      default:
        throw invalid(key, "the ACP SDK frames the agent's messages itself");
    }
  }
  return options;
}
