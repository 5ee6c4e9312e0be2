import { backendEvent, type AsmEvent } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeEvents, fakeProvider, type FakeScript, type FakeStep } from "@asm/testkit";

/** A runtime with one fake provider named `fake`. */
export function fakeAsm(script: FakeScript) {
  const provider = fakeProvider(script);
  return createAsm({ providers: [provider] });
}

/** A script of `deltas` text fragments and a result. */
export function deltaScript(deltas: number): FakeStep[] {
  const steps: FakeStep[] = [{ emit: fakeEvents.started() }];
  for (let i = 0; i < deltas; i++) steps.push({ emit: fakeEvents.delta(`d${i} `) });
  steps.push({ emit: fakeEvents.result("done") });
  return steps;
}

let counter = 0;
/** A standalone event envelope (for broadcaster tests that need no run). */
export function syntheticEvent(index: number, sessionId = "s1", runId = "r1"): AsmEvent {
  const made = backendEvent("assistant_delta", { content: `e${index}` });
  return {
    id: `evt-${String(++counter).padStart(8, "0")}`,
    runId,
    sessionId,
    provider: "fake",
    kind: "assistant_delta",
    payload: made.payload,
    sequence: index,
    providerSessionId: null,
    correlationId: null,
    causationId: null,
    timestamp: new Date().toISOString(),
    metadata: {},
    raw: null,
    extra: {},
  } as AsmEvent;
}

/** Collects a stream's events. */
export async function collect(stream: AsyncIterable<AsmEvent>): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Waits until `predicate` holds, failing after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
