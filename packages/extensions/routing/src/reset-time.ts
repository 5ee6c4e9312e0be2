import type { AsmEvent } from "@asm/contract";

const RELATIVE = /(?:retry|try again|resets?|available)\s+(?:after|in)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec(?:ond)?s?|m|min(?:ute)?s?|h|hours?)?\b/i;
const ISO = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))/;

function unitMs(unit: string | undefined): number {
  const u = (unit ?? "s").toLowerCase();
  if (u.startsWith("ms") || u.startsWith("milli")) return 1;
  if (u.startsWith("h")) return 3_600_000;
  if (u === "m" || u.startsWith("min")) return 60_000;
  return 1000;
}

function fromValue(value: unknown, nowMs: number): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value < 1e12 ? value * 1000 : value;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
    return fromText(value, nowMs);
  }
  return undefined;
}

/** A reset time (epoch ms) a message states: "try again in 20s", "resets at 2026-01-01T00:00:00Z". */
export function fromText(text: string, nowMs: number): number | undefined {
  const relative = RELATIVE.exec(text);
  if (relative) return nowMs + Number(relative[1]) * unitMs(relative[2]);
  const iso = ISO.exec(text);
  if (iso) {
    const parsed = Date.parse(iso[1] as string);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return undefined;
}

/**
 * The time a provider said its limit resets, from the events of a failed run: a `rate_limited`
 * event's `resetsAt` (Claude's `rate_limit_event`), an error's `details` (`resetsAt`,
 * `retryAfterMs`, `retryAfter` seconds), or a reset time stated in either message (the 429 bodies
 * of Codex and Gemini). Undefined when nothing says.
 */
export function resetTimeOf(events: readonly AsmEvent[], nowMs: number): number | undefined {
  let found: number | undefined;
  for (const event of events) {
    if (event.kind === "rate_limited") {
      found = fromValue(event.payload.resetsAt, nowMs) ?? fromText(event.payload.message, nowMs) ?? found;
    } else if (event.kind === "error") {
      const details = event.payload.details ?? {};
      const retryAfterMs = details.retryAfterMs;
      const fromDetails =
        fromValue(details.resetsAt, nowMs) ??
        (typeof retryAfterMs === "number" && retryAfterMs > 0 ? nowMs + retryAfterMs : undefined) ??
        (typeof details.retryAfter === "number" && details.retryAfter > 0 ? nowMs + details.retryAfter * 1000 : undefined);
      found = fromDetails ?? fromText(event.payload.message, nowMs) ?? found;
    }
  }
  return found;
}
