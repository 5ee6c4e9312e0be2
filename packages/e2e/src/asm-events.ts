import { isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { expect } from "vitest";

/** The events of one kind, typed. */
export function ofKind<K extends AsmEvent["kind"]>(events: AsmEvent[], kind: K): Array<Extract<AsmEvent, { kind: K }>> {
  return events.filter((event): event is Extract<AsmEvent, { kind: K }> => event.kind === kind);
}

/** Collects a run's events, letting the test react to each one (interrupt…) as it arrives. */
export async function collectEvents(stream: AsyncIterable<AsmEvent>, onEvent?: (event: AsmEvent) => Promise<void> | void): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    await onEvent?.(event);
  }
  return events;
}

/** Asserts the run's shape: `run_started` first, one outcome, `run_completed` last, sequence numbers in order. */
export function expectWellFormedRun(events: AsmEvent[]): void {
  expect(events[0]?.kind).toBe("run_started");
  expect(events.at(-1)?.kind).toBe("run_completed");
  expect(events.filter(isOutcomeEvent)).toHaveLength(1);
  expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index));
  expect(new Set(events.map((event) => event.runId)).size).toBe(1);
}

/** The text of the run's assistant messages, joined. */
export function assistantText(events: AsmEvent[]): string {
  return ofKind(events, "assistant_message")
    .flatMap((event) => event.payload.content)
    .map((block) => (block.type === "text" && "text" in block ? String(block.text) : ""))
    .join("");
}

/** The rejection of `promise` (null when it resolved), so a test can assert on the error itself. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}
