import { AsmError } from "@asm/contract";
import { median, ratio, type Percentiles } from "../stats.js";

/** The consumers whose per-event latency is measured, in the order of the first round. */
export const LATENCY_CONSUMERS = ["parse", "asm", "sdk"] as const;

/** One latency consumer: "parse" is the readline + JSON.parse floor. */
export type LatencyConsumer = (typeof LATENCY_CONSUMERS)[number];

/** The percentiles of one round at one rate, per consumer. */
export type LatencyRound = Record<LatencyConsumer, Percentiles>;

/**
 * One consumer's latencies (ms) over the rounds at one rate. The `Percentiles` fields keep their
 * names so readers of a single-run report still work, but `p50` and `p99` are medians over the
 * rounds, `max` is the largest over them and `count` is the stamped lines of one round.
 */
export interface RoundedPercentiles extends Percentiles {
  /** The smallest p99 of any round. */
  p99Min: number;
  /** The largest p99 of any round. */
  p99Max: number;
}

/** The aggregate of the rounds at one rate. */
export interface AggregatedRounds {
  /** Rounds aggregated. */
  rounds: number;
  consumers: Record<LatencyConsumer, RoundedPercentiles>;
  /**
   * The median over rounds of ASM's p99 ÷ the floor's p99 in the same round. Dividing within a
   * round first cancels the machine's noise that both runs of the round shared, which a ratio of
   * the two medians would not.
   */
  asmToFloorP99: number;
}

/**
 * The consumers in the order of round `round`: the first order rotated left by `round`. Over
 * consecutive rounds each consumer runs in every position, so neither a drift of the machine
 * across the rounds nor what the previous consumer leaves behind (garbage, warm caches) always
 * falls on the same consumer.
 */
export function consumerOrder(round: number): LatencyConsumer[] {
  const n = LATENCY_CONSUMERS.length;
  const shift = ((round % n) + n) % n;
  return [...LATENCY_CONSUMERS.slice(shift), ...LATENCY_CONSUMERS.slice(0, shift)];
}

function aggregateConsumer(rounds: readonly LatencyRound[], consumer: LatencyConsumer): RoundedPercentiles {
  const runs = rounds.map((round) => round[consumer]);
  const p99s = runs.map((run) => run.p99);
  return {
    p50: median(runs.map((run) => run.p50)),
    p99: median(p99s),
    p99Min: Math.min(...p99s),
    p99Max: Math.max(...p99s),
    max: Math.max(...runs.map((run) => run.max)),
    // Every round is checked to deliver the same number of lines, so the first round speaks for all.
    count: runs[0]?.count ?? 0,
  };
}

/** Aggregates the rounds at one rate into per-consumer medians and ranges and the paired ASM ÷ floor p99. */
export function aggregateRounds(rounds: readonly LatencyRound[]): AggregatedRounds {
  if (rounds.length === 0) throw new AsmError("runtime", "no latency rounds to aggregate");
  const consumers = {} as Record<LatencyConsumer, RoundedPercentiles>;
  for (const consumer of LATENCY_CONSUMERS) consumers[consumer] = aggregateConsumer(rounds, consumer);
  // A round whose floor p99 is zero has no ratio; leaving it out keeps the median's sort well defined.
  const paired = rounds.map((round) => ratio(round.asm.p99, round.parse.p99)).filter(Number.isFinite);
  return { rounds: rounds.length, consumers, asmToFloorP99: median(paired) };
}
