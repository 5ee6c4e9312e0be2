import { usageError } from "../exit-codes.js";

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Parses a duration flag into milliseconds: a bare number of seconds (`90`, `1.5`), or one or
 * more `<number><unit>` parts with units `ms`, `s`, `m`, `h` (`90s`, `5m`, `1h30m`, `250ms`).
 * Throws a usage error naming the flag for anything else, and for zero.
 *
 * @example
 * ```ts
 * parseDuration("5m", "--timeout"); // 300000
 * parseDuration("90", "--idle-timeout"); // 90000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const value = text.trim().toLowerCase();
  let ms: number;
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    ms = Number(value) * 1_000;
  } else {
    const stripped = value.replace(PART, "");
    if (value === "" || stripped !== "") {
      throw usageError(`${flag} must be a number of seconds or a duration such as 90s, 5m or 1h30m (got "${text}")`, { flag });
    }
    ms = 0;
    for (const match of value.matchAll(PART)) ms += Number(match[1]) * (UNITS[match[2]!] ?? 0);
  }
  const rounded = Math.round(ms);
  if (!(rounded > 0) || !Number.isSafeInteger(rounded)) {
    throw usageError(`${flag} must be longer than zero (got "${text}")`, { flag });
  }
  return rounded;
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1_000);
  return `${minutes}m${String(seconds).padStart(2, "0")}s`;
}
