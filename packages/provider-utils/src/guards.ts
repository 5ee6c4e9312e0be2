// Narrowing for values read from a CLI's output: every guard takes `unknown`, never throws, and
// answers `undefined` (or a safe default) for anything it does not accept.

/** A JSON object as parsed from a CLI line. */
export type JsonObject = Record<string, unknown>;

/**
 * True for a plain JSON object: not an array, not null.
 *
 * @example
 * ```ts
 * isRecord({ type: "result" }); // true
 * isRecord([1]); // false
 * ```
 */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is a non-empty string. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The value when it is a finite number. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The value floored to a non-negative safe integer, or `undefined` (negative, not finite, or at
 * least 2^53, which no contract payload accepts).
 */
export function nonNegativeInt(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  const floored = Math.floor(value);
  return Number.isSafeInteger(floored) ? floored : undefined;
}

/**
 * A token count the contract accepts: a non-negative number floored to an integer and capped at
 * `Number.MAX_SAFE_INTEGER`; anything else (missing, negative, not a number) is 0.
 */
export function tokenCount(value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) return 0;
  return value >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.floor(value);
}

/** Adds token counts without leaving the safe-integer range. */
export function addTokenCounts(...counts: readonly number[]): number {
  let total = 0;
  for (const count of counts) total = tokenCount(total + tokenCount(count));
  return total;
}

/** The strings of a list (other entries dropped), or `undefined` when the value is not a list. */
export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/**
 * A string for any value, without calling its `toString` (an object from JSON may carry a
 * `toString` key that is not callable, which makes `String(value)` throw): strings as they are,
 * other primitives through `String`, `null`/`undefined` as `fallback`, objects and arrays as
 * `fallback` too.
 *
 * @example
 * ```ts
 * stringOf(42); // "42"
 * stringOf({ toString: 1 }); // ""
 * ```
 */
export function stringOf(value: unknown, fallback = ""): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    default:
      return fallback;
  }
}
