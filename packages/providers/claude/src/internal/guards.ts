/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
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

/** The value floored to a non-negative safe integer, or undefined. */
export function nonNegativeInt(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  const floored = Math.floor(value);
  return Number.isSafeInteger(floored) ? floored : undefined;
}

/** A non-negative integer token count; anything else is 0. */
export function tokenCount(value: unknown): number {
  return nonNegativeInt(value) ?? 0;
}
