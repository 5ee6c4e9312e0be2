import { AsmError, type AsmEvent, type EventStore, type RunStatus } from "@asm/contract";
import { addRunCost, emptyCostTotals, type CostTotals } from "../cost/session-cost.js";
import { initialRunState, reduceEvent, toResult, type RunState } from "../run/reducer.js";

/** One run of a stored session, as the session index lists it. */
export interface RunSummary {
  runId: string;
  /** How it ended; `running` while no `run_completed` is stored (in flight, or its host died). */
  status: RunStatus | "running";
  startedAt: string;
  /** Time of its `run_completed`, or null while running. */
  endedAt: string | null;
  /** Stored events of the run. */
  events: number;
  /** The provider session id the run reported (what a follow-up resumes). */
  providerSessionId: string | null;
  costUsd: number | null;
  /** The error code of a failed or interrupted run. */
  errorCode: string | null;
  /** The run's highest sequence number (a restore continues after it). */
  lastSequence: number;
}

/** A stored session, rebuilt from its events. */
export interface SessionSummary {
  sessionId: string;
  provider: string;
  /** `running` when a run has no `run_completed`, else the last run's status (`idle` with no runs). */
  status: RunStatus | "running" | "idle";
  createdAt: string;
  updatedAt: string;
  events: number;
  runs: RunSummary[];
  /** The latest provider session id of the session (what the next prompt resumes). */
  providerSessionId: string | null;
  /** Cumulative tokens and cost of the finished runs. */
  cost: CostTotals;
}

/**
 * Rebuilds a session's summary from its stored events (what `restoreSession` and session indexes
 * use). No events → null.
 */
export function summarizeSession(events: readonly AsmEvent[]): SessionSummary | null {
  const first = events[0];
  if (!first) return null;
  const runs = new Map<string, { state: RunState; summary: RunSummary }>();
  let providerSessionId: string | null = null;
  for (const event of events) {
    let run = runs.get(event.runId);
    if (!run) {
      run = {
        state: initialRunState(),
        summary: { runId: event.runId, status: "running", startedAt: event.timestamp, endedAt: null, events: 0, providerSessionId: null, costUsd: null, errorCode: null, lastSequence: -1 },
      };
      runs.set(event.runId, run);
    }
    reduceEvent(run.state, event);
    run.summary.events++;
    run.summary.lastSequence = Math.max(run.summary.lastSequence, event.sequence);
    if (event.providerSessionId) {
      run.summary.providerSessionId = event.providerSessionId;
      providerSessionId = event.providerSessionId;
    }
    if (event.kind === "run_completed") {
      run.summary.status = event.payload.status;
      run.summary.endedAt = event.timestamp;
    }
  }
  let cost = emptyCostTotals();
  for (const { state, summary } of runs.values()) {
    const result = toResult(state);
    summary.costUsd = result.costUsd;
    summary.errorCode = result.error?.code ?? null;
    if (summary.status !== "running") cost = addRunCost(cost, result);
  }
  const summaries = [...runs.values()].map((run) => run.summary);
  const last = summaries.at(-1);
  return {
    sessionId: first.sessionId,
    provider: first.provider,
    status: summaries.some((run) => run.status === "running") ? "running" : (last?.status ?? "idle"),
    createdAt: first.timestamp,
    updatedAt: events.at(-1)!.timestamp,
    events: events.length,
    runs: summaries,
    providerSessionId,
    cost,
  };
}

/**
 * Lists every session of a store with its runs, status and cost (oldest first). A store without
 * `sessionIds` → `AsmError("unsupported")`.
 */
export async function sessionIndex(store: EventStore): Promise<SessionSummary[]> {
  if (!store.sessionIds) throw new AsmError("unsupported", "this event store cannot list its sessions (no sessionIds)", { details: { key: "store" } });
  const summaries: SessionSummary[] = [];
  for (const sessionId of await store.sessionIds()) {
    const summary = summarizeSession(await store.list(sessionId));
    if (summary) summaries.push(summary);
  }
  return summaries;
}
