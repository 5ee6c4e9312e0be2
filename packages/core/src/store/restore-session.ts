import { AsmError, createEvent, type AsmEvent, type EventStore } from "@asm/contract";
import type { Checkpoint } from "../session/checkpoint.js";
import { summarizeSession, type SessionSummary } from "./session-summary.js";

/** What restoring a session found in its store and wrote back. */
interface RestorePlan {
  summary: SessionSummary;
  /** The resumable point: the session's latest provider session id. */
  checkpoint: Checkpoint | null;
  /** Runs that were in flight when the host died, now ended as interrupted. */
  interruptedRuns: string[];
}

/** Why a restore ends a run. */
const INTERRUPTED_MESSAGE = "the host stopped while this run was in flight; it was marked interrupted when the session was restored";

/**
 * Reads a session's events and ends every run that has no `run_completed` (its host died
 * mid-run) with exactly one: `status: "interrupted"`, appended and acknowledged before this
 * resolves. No stored event → `AsmError("not_found")`.
 */
export async function planRestore(store: EventStore, sessionId: string): Promise<RestorePlan> {
  const events = await store.list(sessionId);
  const summary = summarizeSession(events);
  if (!summary) throw new AsmError("not_found", `No stored events for session ${sessionId}`, { details: { sessionId } });
  const lastOfRun = new Map<string, AsmEvent>();
  for (const event of events) lastOfRun.set(event.runId, event);
  const interruptedRuns: string[] = [];
  for (const run of summary.runs) {
    if (run.status !== "running") continue;
    const last = lastOfRun.get(run.runId)!;
    const completed = createEvent({
      kind: "run_completed",
      payload: { status: "interrupted", error: { code: "runtime", message: INTERRUPTED_MESSAGE, domain: "runtime" } },
      runId: run.runId,
      sessionId,
      provider: last.provider,
      sequence: run.lastSequence + 1,
      providerSessionId: last.providerSessionId,
      metadata: { ...last.metadata, restored: true },
    });
    await store.append(completed);
    events.push(completed);
    interruptedRuns.push(run.runId);
  }
  const finalSummary = interruptedRuns.length > 0 ? summarizeSession(events)! : summary;
  let checkpoint: Checkpoint | null = null;
  const carrier = events.findLast((event) => event.providerSessionId);
  if (carrier?.providerSessionId) {
    checkpoint = {
      sessionId,
      provider: carrier.provider,
      capturedAt: carrier.timestamp,
      runId: carrier.runId,
      providerSessionId: carrier.providerSessionId,
      cost: finalSummary.cost,
      metadata: { ...carrier.metadata },
    };
  }
  return { summary: finalSummary, checkpoint, interruptedRuns };
}
