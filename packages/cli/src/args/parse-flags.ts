import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "../exit-codes.js";

/** The option table `node:util` parseArgs takes. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Runs `node:util` parseArgs strictly and turns its errors (unknown flag, missing value) into
 * usage errors.
 */
export function parseFlags(argv: readonly string[], options: FlagSpec, command: string): ParsedFlags {
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    return { values: parsed.values as ParsedFlags["values"], positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw usageError(message, { command });
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(values: ParsedFlags["values"], name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable string flag's values, or undefined when it was not given. */
export function stringListFlag(values: ParsedFlags["values"], name: string): string[] | undefined {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/** A boolean flag's value (false when absent). */
export function booleanFlag(values: ParsedFlags["values"], name: string): boolean {
  return values[name] === true;
}
