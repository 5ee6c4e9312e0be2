import { AsmError, type AsmEvent, type Result } from "@asm/contract";
import { initialRunState, reduceEvent, toResult } from "../run/reducer.js";

/**
 * Re-reduces consumed events into a `Result`. Throws `AsmError("config_invalid")` when there are no
 * events.
 *
 * @example
 * ```ts
 * const events = []; for await (const e of session.stream("hi")) events.push(e);
 * const { text, usage } = finalResult(events);
 * ```
 */
export function finalResult(events: Iterable<AsmEvent>): Result {
  const state = initialRunState();
  let count = 0;
  for (const event of events) {
    reduceEvent(state, event);
    count++;
  }
  if (count === 0) throw new AsmError("config_invalid", "finalResult needs the events of a run, but the stream produced no events");
  return toResult(state);
}

/** The streamed text fragments (`assistant_delta` contents), in order. */
export function textDeltas(events: Iterable<AsmEvent>): string[] {
  const out: string[] = [];
  for (const event of events) if (event.kind === "assistant_delta") out.push(event.payload.content);
  return out;
}

/**
 * Text of deltas and assistant messages, in order. When a run streamed deltas, its complete
 * messages repeat them, so their text is not counted twice.
 */
export function textContent(events: Iterable<AsmEvent>): string[] {
  const out: string[] = [];
  const streamedRuns = new Set<string>();
  for (const event of events) {
    if (event.kind === "assistant_delta") {
      streamedRuns.add(event.runId);
      out.push(event.payload.content);
    } else if (event.kind === "assistant_message" && !streamedRuns.has(event.runId)) {
      for (const block of event.payload.content) if (block.type === "text" && typeof block.text === "string") out.push(block.text);
    }
  }
  return out;
}

/** The joined text content of a run's events. */
export function finalText(events: Iterable<AsmEvent>): string {
  return textContent(events).join("");
}

/** Collects an async stream into an array. */
export async function collectEvents(stream: AsyncIterable<AsmEvent>): Promise<AsmEvent[]> {
  const out: AsmEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}
