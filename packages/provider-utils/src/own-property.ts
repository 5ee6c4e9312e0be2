// Lookups that consult only a value's own properties. A key read from untrusted input
// (`__proto__`, `constructor`, `toString`) then finds nothing instead of a member of
// `Object.prototype`.

import type { JsonObject } from "./guards.js";

/**
 * The own property `key` of `record`, or `undefined` (inherited members never count).
 *
 * @example
 * ```ts
 * ownValue({ type: "x" }, "type"); // "x"
 * ownValue({}, "constructor"); // undefined, not Object
 * ```
 */
export function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * The entry of a fixed table for a key that came from outside (an error type, a native mode
 * name), or `undefined` when the table has no such own entry.
 *
 * @example
 * ```ts
 * const HTTP = { UNAUTHENTICATED: 401 };
 * lookup(HTTP, "UNAUTHENTICATED"); // 401
 * lookup(HTTP, "__proto__"); // undefined
 * ```
 */
export function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The first of `keys` whose own value is a non-empty string. */
export function firstString(source: JsonObject, ...keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = ownValue(source, key);
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** The first of `keys` whose own value is present (neither `undefined` nor `null`). */
export function firstDefined(source: JsonObject, ...keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = ownValue(source, key);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** The first of `keys` whose own value is a finite, non-negative number. */
export function firstNumber(source: JsonObject, ...keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = ownValue(source, key);
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}
