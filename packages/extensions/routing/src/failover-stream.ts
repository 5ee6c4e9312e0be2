import { AsmError, createEvent, isAsmError, isOutcomeEvent, type AsmEvent } from "@asm/contract";
import type { Candidate } from "./candidate.js";
import type { HealthTracker } from "./health-tracker.js";
import { resetTimeOf } from "./reset-time.js";
import type { RouterConfig } from "./router-config.js";

/** One run the router started for a prompt. */
export interface RouteAttempt {
  candidateId: string;
  provider: string;
  runId: string | null;
  /** `succeeded`, `failed` (and not retried), `failed_over`, or `waited` (re-run after a reset). */
  outcome: "succeeded" | "failed" | "failed_over" | "waited";
  /** The failure's code, when it failed. */
  code?: string;
  message?: string;
}

/** What the failover loop needs from its router. */
export interface FailoverContext {
  config: RouterConfig;
  health: HealthTracker;
  /** Chooses the next candidate, excluding ids already tried for this prompt; null when none is left. */
  pick(exclude: ReadonlySet<string>): Candidate | null;
  attempts: RouteAttempt[];
}

// Kinds that mean the agent has started doing the work: after one of these a re-run elsewhere
// could repeat side effects, so the run is committed to its candidate.
const OUTPUT_KINDS = new Set<string>(["assistant_delta", "assistant_message", "thinking", "tool_use", "tool_result", "plan", "approval_requested", "result"]);
const RATE_LIMIT_CODES = new Set(["rate_limit", "quota_exhausted"]);

interface AttemptFailure {
  code: string;
  message: string;
  retryable: boolean;
}

function routingWarning(reference: { runId: string; sessionId: string; provider: string }, code: "routing.failover" | "routing.waiting", message: string, details: Record<string, unknown>): AsmEvent {
  return createEvent({
    kind: "warning",
    payload: { code, message, details },
    runId: reference.runId,
    sessionId: reference.sessionId,
    provider: reference.provider,
    sequence: 0,
    metadata: { routing: true },
  });
}

/**
 * Runs `prompt` on the router's candidates until one succeeds or a failure may not be retried.
 * The consumer sees one run's events: an attempt is buffered until it produces output; a failed
 * attempt that is retried is replaced by one `warning` (`routing.failover` or `routing.waiting`)
 * naming the provider and the failure, so the stream still ends with exactly one terminal event.
 */
export async function* failoverStream(context: FailoverContext, prompt: string, options: Record<string, unknown>): AsyncGenerator<AsmEvent> {
  const { config, health } = context;
  const tried = new Set<string>();
  let candidate = context.pick(tried);
  if (candidate === null) throw new AsmError("at_capacity", "no healthy providers available for routing", { details: { candidates: config.candidates.map((c) => c.id) } });
  for (;;) {
    const current: Candidate = candidate;
    tried.add(current.id);
    const stream = config.asm.stream(current.provider, prompt, { ...current.providerOptions, ...options });
    const attempt: RouteAttempt = { candidateId: current.id, provider: current.provider, runId: stream.runId, outcome: "failed" };
    context.attempts.push(attempt);
    const held: AsmEvent[] = [];
    const seen: AsmEvent[] = [];
    let committed = false;
    let failure: AttemptFailure | null = null;
    let succeeded = false;
    try {
      for await (const event of stream) {
        // Only what can state a reset time is kept for the verdict.
        if (event.kind === "rate_limited" || event.kind === "error") seen.push(event);
        if (event.kind === "result") succeeded = true;
        if (isOutcomeEvent(event) && event.kind === "error") {
          failure = { code: event.payload.code, message: event.payload.message, retryable: config.retryOn.has(event.payload.code) };
        }
        if (!committed && OUTPUT_KINDS.has(event.kind)) {
          committed = true;
          yield* held.splice(0);
        }
        // A committed run streams live, except that its terminal events wait for the verdict
        // when it may still fail over.
        const holdTerminal = config.failoverAfterOutput && (failure !== null || event.kind === "run_completed");
        if (committed && !holdTerminal) yield event;
        else held.push(event);
      }
    } catch (error) {
      // Refused at admission (bad options, no binary): nothing of this run reached the consumer.
      if (!isAsmError(error) || !config.retryOn.has(error.code)) throw error;
      failure = { code: error.code, message: error.reason, retryable: true };
    }
    const now = config.clock();
    if (succeeded || failure === null) {
      health.success(current.id);
      attempt.outcome = "succeeded";
      yield* held;
      return;
    }
    attempt.code = failure.code;
    attempt.message = failure.message;
    const mayRetry = failure.retryable && (!committed || config.failoverAfterOutput);
    if (!mayRetry) {
      yield* held;
      return;
    }
    const resetAtMs = resetTimeOf(seen, now);
    health.failure(current.id, { code: failure.code, message: failure.message, ...(resetAtMs === undefined ? {} : { resetAtMs }) });
    const reference = { runId: stream.runId, sessionId: seen[0]?.sessionId ?? held[0]?.sessionId ?? "", provider: current.provider };
    const waitMs = resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - now);
    if (config.onRateLimit === "wait" && RATE_LIMIT_CODES.has(failure.code) && waitMs !== undefined && waitMs <= config.maxWaitMs) {
      attempt.outcome = "waited";
      yield routingWarning(reference, "routing.waiting", `${current.id} (${current.provider}) hit a usage limit (${failure.code}); waiting ${waitMs} ms for its reset`, {
        candidateId: current.id,
        code: failure.code,
        reason: failure.message,
        resetsAt: new Date(resetAtMs as number).toISOString(),
        waitMs,
      });
      await config.sleep(waitMs);
      tried.delete(current.id);
      candidate = current;
      continue;
    }
    const next = context.pick(tried);
    if (next === null) {
      yield* held;
      return;
    }
    attempt.outcome = "failed_over";
    yield routingWarning(reference, "routing.failover", `${current.id} (${current.provider}) failed with ${failure.code}: ${failure.message}; running on ${next.id} (${next.provider})`, {
      candidateId: current.id,
      failedRunId: stream.runId,
      code: failure.code,
      reason: failure.message,
      nextCandidateId: next.id,
      ...(resetAtMs === undefined ? {} : { resetsAt: new Date(resetAtMs).toISOString() }),
    });
    candidate = next;
  }
}
