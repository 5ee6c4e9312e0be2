import type { AsmEvent } from "@asm/contract";
import { safeJson } from "./internal/preview.js";

/** Short codes of the compact JSONL form. */
export const COMPACT_KIND_CODES: Readonly<Record<string, string>> = {
  run_started: "rs",
  assistant_delta: "ad",
  assistant_message: "am",
  tool_use: "tu",
  tool_result: "tr",
  result: "re",
  error: "er",
  run_completed: "rc",
};

/**
 * The full JSON line of an event: the whole envelope (`raw` included), with values that JSON
 * cannot hold made safe (cycles, bigints, errors) and `undefined` fields dropped. `parseEvent`
 * reads it back.
 */
export function eventToJsonLine(event: AsmEvent): string {
  return safeJson(event);
}

/**
 * The compact JSON line of an event:
 * `{"t":<epoch ms>,"e":{"k":<code>,"id":…,"s":<sequence>,"r":<runId>,"p":<payload>}}`, where the
 * code is two letters for the common kinds (`rs ad am tu tr re er rc`) and the kind itself for
 * the others.
 */
export function eventToCompactLine(event: AsmEvent): string {
  const time = Date.parse(event.timestamp);
  return safeJson({
    t: Number.isNaN(time) ? Date.now() : time,
    e: { k: COMPACT_KIND_CODES[event.kind] ?? event.kind, id: event.id, s: event.sequence, r: event.runId, p: event.payload },
  });
}
