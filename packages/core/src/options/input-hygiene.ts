import { AsmError } from "@asm/contract";

/**
 * Largest delay a Node timer honours: a longer one fires at once (or, chained, spins), so every
 * timeout is refused above it rather than silently shortened.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

const MAX_WALK_DEPTH = 32;

/** The dotted path of the first string holding a NUL byte, or null. */
function nulPath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === "string") return value.includes("\0") ? path : null;
  if (typeof value !== "object" || value === null || depth > MAX_WALK_DEPTH) return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (key.includes("\0")) return itemPath;
    const found = nulPath(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Refuses input no process can be started with, before anything runs: a NUL byte in the prompt or
 * in any provider option (`extraArgs`, `env` values, paths), and `env` names that are empty or hold
 * `=` or NUL. The message names the field and never repeats its value: a prompt or a key could be
 * in it.
 */
export function assertProcessSafeInput(prompt: string, providerOptions: Record<string, unknown>): void {
  if (prompt.includes("\0")) {
    throw new AsmError("config_invalid", "prompt contains a NUL byte, which no command line or pipe protocol carries", { details: { key: "prompt" } });
  }
  const env = providerOptions.env;
  if (typeof env === "object" && env !== null) {
    for (const name of Object.keys(env)) {
      if (name === "" || name.includes("=") || name.includes("\0")) {
        throw new AsmError("config_invalid", "env has a variable name that is empty or contains '=' or a NUL byte", { details: { key: "env" } });
      }
    }
  }
  for (const [key, value] of Object.entries(providerOptions)) {
    const path = nulPath(value, key, 0);
    if (path !== null) {
      throw new AsmError("config_invalid", `${path} contains a NUL byte, which no command line or environment carries`, { details: { key: path } });
    }
  }
}

/**
 * A positive timeout in milliseconds no larger than {@link MAX_TIMER_MS}, or `fallback` when
 * absent. `allowInfinity` accepts `Infinity` (no timeout).
 */
export function timeoutMs(value: unknown, key: string, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new AsmError(
      "config_invalid",
      `${key} must be a positive number of milliseconds up to ${MAX_TIMER_MS}${allowInfinity ? " (or Infinity)" : ""}`,
      { details: { key } },
    );
  }
  return value;
}
