import { AsmError, type AsmEvent, type Result } from "@asm/contract";
import { initialRunState, reduceEvent, toResult, type RunState } from "../run/reducer.js";
import type { EventStore } from "./event-store.js";

/** Folds every stored event of a session with `reducer`, starting from `initial`. */
export async function replaySession<T>(store: EventStore, sessionId: string, initial: T, reducer: (acc: T, event: AsmEvent) => T): Promise<T> {
  let acc = initial;
  for (const event of await store.list(sessionId)) acc = reducer(acc, event);
  return acc;
}

/** A run rebuilt from stored events. */
export interface RebuiltRun {
  state: RunState;
  result: Result;
  events: AsmEvent[];
}

/** Rebuilds one run from the store. A run with no stored events → `AsmError("not_found")`. */
export async function rebuildRun(store: EventStore, sessionId: string, runId: string): Promise<RebuiltRun> {
  const events = (await store.list(sessionId)).filter((event) => event.runId === runId);
  if (events.length === 0) {
    throw new AsmError("not_found", `Run not found in session history: ${runId}`, { details: { sessionId, runId } });
  }
  const state = initialRunState();
  for (const event of events) reduceEvent(state, event);
  return { state, result: toResult(state), events };
}
