import { AsmError, type AsmEvent, type Result } from "@asm/contract";
import { finalResult } from "@asm/core";
import type { Candidate } from "./candidate.js";
import { failoverStream, type RouteAttempt } from "./failover-stream.js";
import { HealthTracker, type CandidateHealth, type FailureReport } from "./health-tracker.js";
import { resolveRouterConfig, type RouterOptions } from "./router-config.js";

/** What `select` answers: the candidate to run on. */
export interface Selection {
  id: string;
  provider: string;
  providerOptions: Readonly<Record<string, unknown>>;
}

/** A routed stream: the events of the run that answered, plus what it took to get there. */
export interface RouteStream extends AsyncIterable<AsmEvent> {
  /** Every run started for this prompt, in order (filled as the stream is read). */
  readonly attempts: readonly RouteAttempt[];
}

/** A router over provider candidates: selection, health, and failover runs. */
export interface Router {
  /** The candidate the strategy picks among the eligible ones. None → `AsmError("at_capacity")`. */
  select(): Selection;
  /** A run on `id` succeeded: it is healthy again. Unknown id → `config_invalid`. */
  reportSuccess(id: string): void;
  /** A run on `id` failed: it is excluded for its cooldown (or until `resetAtMs`). Unknown id → `config_invalid`. */
  reportFailure(id: string, failure: FailureReport): void;
  /** Health of every candidate, by id. */
  healthSnapshot(): Record<string, CandidateHealth>;
  /**
   * Streams `prompt` on the selected candidate and fails over to the next one on a retryable
   * failure (see `RouterOptions`). `options` are run options for every attempt.
   */
  stream(prompt: string, options?: Record<string, unknown>): RouteStream;
  /** Runs `prompt` to its end with failover; the `Result`'s `metadata.routing` lists the attempts. */
  query(prompt: string, options?: Record<string, unknown>): Promise<Result>;
}

/**
 * Creates a router. Bad options fail now with `config_invalid` naming the field.
 *
 * @example
 * ```ts
 * const router = createRouter({ asm, candidates: ["claude", "codex"], strategy: "priority" });
 * const result = await router.query("Fix the failing test", { cwd });
 * // claude answered 429 → a routing.failover warning, and codex ran the prompt
 * ```
 */
export function createRouter(options: RouterOptions): Router {
  const config = resolveRouterConfig(options);
  const byId = new Map(config.candidates.map((candidate) => [candidate.id, candidate]));
  const health = new HealthTracker([...byId.keys()], config.failureCooldownMs, config.maxCooldownMs, config.clock);

  const known = (id: string): Candidate => {
    const candidate = byId.get(id);
    if (!candidate) throw new AsmError("config_invalid", `id ${JSON.stringify(id)} is not a candidate of this router`, { details: { key: "id", id } });
    return candidate;
  };
  const pick = (exclude: ReadonlySet<string>): Candidate | null => {
    const available = config.candidates.filter((candidate) => !exclude.has(candidate.id) && health.eligible(candidate.id));
    return available.length === 0 ? null : config.strategy.choose(available);
  };
  const stream = (prompt: string, runOptions: Record<string, unknown> = {}): RouteStream => {
    const attempts: RouteAttempt[] = [];
    return {
      attempts,
      [Symbol.asyncIterator]: () => failoverStream({ config, health, pick, attempts }, prompt, runOptions),
    };
  };

  return {
    select() {
      const chosen = pick(new Set());
      if (chosen === null) {
        const next = health.nextEligibleAtMs([...byId.keys()]);
        throw new AsmError("at_capacity", "no healthy providers available for routing", {
          details: { nextEligibleAt: next === null ? null : new Date(next).toISOString() },
        });
      }
      return { id: chosen.id, provider: chosen.provider, providerOptions: chosen.providerOptions };
    },
    reportSuccess(id) {
      health.success(known(id).id);
    },
    reportFailure(id, failure) {
      health.failure(known(id).id, failure);
    },
    healthSnapshot() {
      return Object.fromEntries([...byId.keys()].map((id) => [id, health.health(id)]));
    },
    stream,
    async query(prompt, runOptions) {
      const routed = stream(prompt, runOptions);
      const events: AsmEvent[] = [];
      for await (const event of routed) events.push(event);
      // The result is the answering run's; partial output of a run that failed over (opt-in) is not part of it.
      const lastRunId = routed.attempts.at(-1)?.runId;
      const result = finalResult(events.filter((event) => event.runId === lastRunId && !(event.kind === "warning" && event.metadata.routing === true)));
      return { ...result, metadata: { ...result.metadata, routing: { attempts: routed.attempts.map((attempt) => ({ ...attempt })) } } };
    },
  };
}
