import { AsmError } from "@asm/contract";
import type { Candidate } from "./candidate.js";

/**
 * Chooses one of the currently available candidates. Strategies keep their own state (a counter,
 * running weights) and must pick from `available` only; it is never empty.
 */
export interface RoutingStrategy {
  /** Name used in errors and the health snapshot. */
  readonly name: string;
  choose(available: readonly Candidate[]): Candidate;
}

/** The built-in strategies by name. */
export type StrategyName = "round_robin" | "priority" | "weighted";

/** Takes the available candidates in turn (the counter runs over the list as it is now). */
export function roundRobinStrategy(): RoutingStrategy {
  let counter = 0;
  return {
    name: "round_robin",
    choose(available) {
      const chosen = available[counter % available.length] as Candidate;
      counter += 1;
      return chosen;
    },
  };
}

/** Always the lowest `priority` value; ties go to the candidate listed first. */
export function priorityStrategy(): RoutingStrategy {
  return {
    name: "priority",
    choose(available) {
      let best = available[0] as Candidate;
      for (const candidate of available) {
        if (candidate.priority < best.priority || (candidate.priority === best.priority && candidate.index < best.index)) best = candidate;
      }
      return best;
    },
  };
}

/**
 * Smooth weighted round robin: over any window of `sum(weights)` selections each candidate is
 * chosen exactly `weight` times, interleaved rather than in bursts (a weight-3 candidate does not
 * take three runs in a row while a weight-1 one waits).
 */
export function weightedStrategy(): RoutingStrategy {
  const current = new Map<string, number>();
  return {
    name: "weighted",
    choose(available) {
      let total = 0;
      let best: Candidate | undefined;
      let bestScore = -Infinity;
      for (const candidate of available) {
        const score = (current.get(candidate.id) ?? 0) + candidate.weight;
        current.set(candidate.id, score);
        total += candidate.weight;
        if (score > bestScore) {
          best = candidate;
          bestScore = score;
        }
      }
      const chosen = best as Candidate;
      current.set(chosen.id, bestScore - total);
      return chosen;
    },
  };
}

/** Resolves the `strategy` option: a built-in name or a strategy object. */
export function resolveStrategy(value: unknown): RoutingStrategy {
  if (value === undefined || value === "round_robin") return roundRobinStrategy();
  if (value === "priority") return priorityStrategy();
  if (value === "weighted") return weightedStrategy();
  if (typeof value === "object" && value !== null && typeof (value as RoutingStrategy).choose === "function" && typeof (value as RoutingStrategy).name === "string") {
    return value as RoutingStrategy;
  }
  throw new AsmError("config_invalid", 'strategy must be "round_robin", "priority", "weighted" or a { name, choose(available) } object', {
    details: { key: "strategy" },
  });
}
