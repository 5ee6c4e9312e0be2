import { createEvent, type AsmEvent, type EventKind, type PayloadInputOf } from "@asm/contract";

let sequence = 0;

/** Builds a validated event of one run, with increasing sequence numbers. */
export function event<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, extra: { metadata?: Record<string, unknown>; providerSessionId?: string } = {}): AsmEvent {
  sequence += 1;
  return createEvent({
    kind,
    payload,
    runId: "run-1",
    sessionId: "session-1",
    provider: "claude",
    sequence,
    timestamp: "2025-01-02T03:04:05.000Z",
    ...extra,
  }) as AsmEvent;
}

/** A realistic run: start, streamed text, a tool call and result, cost, result, completion. */
export function sampleRun(): AsmEvent[] {
  return [
    event("run_started", { model: "claude-opus-5-5" }, { metadata: { lane: "core" } }),
    event("assistant_delta", { content: "I will run " }),
    event("assistant_delta", { content: "a command." }),
    event("assistant_message", { content: [{ type: "text", text: "I will run a command." }] }),
    event("tool_use", { toolName: "Bash", toolCallId: "toolu_1", input: { command: "echo hi" } }),
    event("tool_result", { toolCallId: "toolu_1", content: "hi" }),
    event("assistant_message", { content: [{ type: "text", text: "The command printed: hi" }] }),
    event("cost_update", { inputTokens: 32, outputTokens: 17, costUsd: 0.000468 }),
    event("result", { text: "The command printed: hi", stopReason: "end_turn", usage: { inputTokens: 32, outputTokens: 17 }, costUsd: 0.000468 }),
    event("run_completed", { status: "completed" }),
  ];
}

/** Yields `events` asynchronously and records how far a consumer read and whether it stopped early. */
export function trackedStream(events: AsmEvent[]): AsyncIterable<AsmEvent> & { pulled: number; returned: boolean } {
  const state = {
    pulled: 0,
    returned: false,
    [Symbol.asyncIterator](): AsyncIterator<AsmEvent> {
      let index = 0;
      return {
        next: () => {
          if (index >= events.length) return Promise.resolve({ done: true, value: undefined });
          state.pulled += 1;
          return Promise.resolve({ done: false, value: events[index++]! });
        },
        return: () => {
          state.returned = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
  return state;
}
