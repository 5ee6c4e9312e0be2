import { usageError } from "../exit-codes.js";

/** How one flag taken by {@link takeFlags} reads its value. */
export type TakenFlagKind = "string" | "list" | "boolean";

/** What {@link takeFlags} took out of a command line. */
export interface TakenFlags {
  /** The arguments left, in order, for the command's own parser. */
  argv: string[];
  /** Last value of each `string` flag given. */
  strings: Record<string, string>;
  /** Every value of each `list` flag given (comma-separated values split). */
  lists: Record<string, string[]>;
  /** The `boolean` flags given. */
  booleans: Set<string>;
}

/**
 * Takes the named flags (`--name value`, `--name=value`, or a bare `--name` for booleans) out of
 * a command line and leaves the rest, so a group of options can be read in a file of its own
 * while the command's parser still rejects anything unknown. Everything after `--` is left as
 * it is. A missing or empty value is a usage error naming the flag; `hint` says what it takes.
 */
export function takeFlags(argv: readonly string[], spec: Readonly<Record<string, { kind: TakenFlagKind; hint?: string }>>): TakenFlags {
  const taken: TakenFlags = { argv: [], strings: {}, lists: {}, booleans: new Set() };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      taken.argv.push(...argv.slice(index));
      break;
    }
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    const flag = name === undefined ? undefined : spec[name];
    if (match === null || name === undefined || flag === undefined) {
      taken.argv.push(arg);
      continue;
    }
    if (flag.kind === "boolean") {
      if (match[2] !== undefined) throw usageError(`--${name} takes no value (got "${match[2]}")`, { flag: `--${name}` });
      taken.booleans.add(name);
      continue;
    }
    const value = match[2] ?? argv[++index];
    if (value === undefined || value.trim() === "" || (match[2] === undefined && value.startsWith("--"))) {
      throw usageError(`--${name} needs a value${flag.hint ? `: ${flag.hint}` : ""}`, { flag: `--${name}` });
    }
    if (flag.kind === "string") taken.strings[name] = value.trim();
    else {
      const values = value.split(",").map((item) => item.trim());
      if (values.some((item) => item === "")) throw usageError(`--${name} has an empty name in "${value}"${flag.hint ? `; it takes ${flag.hint}` : ""}`, { flag: `--${name}` });
      (taken.lists[name] ??= []).push(...values);
    }
  }
  return taken;
}
