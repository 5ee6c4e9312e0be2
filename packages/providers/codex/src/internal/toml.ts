import { configError } from "@asm/contract";

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

/** A TOML basic string: always quoted, so codex never falls back to reading it as a bare literal. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const escaped = ESCAPES[char];
    if (escaped !== undefined) out += escaped;
    else {
      const code = char.codePointAt(0) ?? 0;
      out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char;
    }
  }
  return `${out}"`;
}

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key);
}

/** True when {@link tomlValue} can encode `value` (TOML has no null and no NaN/Infinity literals here). */
export function isTomlEncodable(value: unknown): boolean {
  try {
    tomlValue(value);
    return true;
  } catch (_error) {
    return false;
  }
}

/**
 * Encodes a JSON-like value as one TOML value (the right-hand side of `-c key=value`): strings,
 * finite numbers, booleans, arrays and inline tables. Throws `AsmError("config_invalid")` otherwise.
 */
export function tomlValue(value: unknown, path = "value"): string {
  switch (typeof value) {
    case "string":
      return tomlString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw configError(`${path}: ${value} has no TOML form; use a finite number`);
      return String(value);
    case "object": {
      if (value === null) throw configError(`${path}: null has no TOML form; leave the key out instead`);
      if (Array.isArray(value)) return `[${value.map((entry, index) => tomlValue(entry, `${path}[${index}]`)).join(", ")}]`;
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([key, entry]) => `${tomlKey(key)} = ${tomlValue(entry, `${path}.${key}`)}`,
      );
      return `{${entries.join(", ")}}`;
    }
    default:
      throw configError(`${path}: a ${typeof value} has no TOML form`);
  }
}
