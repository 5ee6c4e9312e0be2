import { describe, expect, it } from "vitest";
import type { Percentiles } from "../stats.js";
import { aggregateRounds, consumerOrder, type LatencyRound } from "./latency-rounds.js";

const run = (p50: number, p99: number, max: number, count = 100): Percentiles => ({ p50, p99, max, count });

// Paired ASM ÷ floor p99 per round: 2, 1, 5 (median 2). The medians of the p99s alone are asm 2
// and parse 2, a ratio of 1, so an aggregate that divided the medians would fail.
const ROUNDS: LatencyRound[] = [
  { parse: run(0.05, 1, 4), asm: run(0.3, 2, 5), sdk: run(0.4, 3, 6) },
  { parse: run(0.07, 2, 3), asm: run(0.1, 2, 9), sdk: run(0.6, 6, 8) },
  { parse: run(0.06, 4, 8), asm: run(0.2, 20, 7), sdk: run(0.5, 9, 30) },
];

describe("latency rounds", () => {
  it("rotates the consumer order each round", () => {
    expect(consumerOrder(0)).toEqual(["parse", "asm", "sdk"]);
    expect(consumerOrder(1)).toEqual(["asm", "sdk", "parse"]);
    expect(consumerOrder(2)).toEqual(["sdk", "parse", "asm"]);
    expect(consumerOrder(3)).toEqual(["parse", "asm", "sdk"]);
    expect(consumerOrder(4)).toEqual(["asm", "sdk", "parse"]);
  });

  it("takes medians of p50 and p99, the p99 range and the largest max", () => {
    const { rounds, consumers } = aggregateRounds(ROUNDS);
    expect(rounds).toBe(3);
    expect(consumers.asm).toEqual({ p50: 0.2, p99: 2, p99Min: 2, p99Max: 20, max: 9, count: 100 });
    expect(consumers.parse).toEqual({ p50: 0.06, p99: 2, p99Min: 1, p99Max: 4, max: 8, count: 100 });
    expect(consumers.sdk).toEqual({ p50: 0.5, p99: 6, p99Min: 3, p99Max: 9, max: 30, count: 100 });
  });

  it("takes the median of the per-round ASM ÷ floor p99, not the ratio of the medians", () => {
    const { consumers, asmToFloorP99 } = aggregateRounds(ROUNDS);
    expect(asmToFloorP99).toBe(2);
    expect(consumers.asm.p99 / consumers.parse.p99).toBe(1);
  });

  it("interpolates the median of an even number of rounds", () => {
    const { consumers, asmToFloorP99 } = aggregateRounds(ROUNDS.slice(0, 2));
    expect(consumers.parse.p99).toBe(1.5);
    expect(consumers.sdk.p50).toBeCloseTo(0.5);
    expect(asmToFloorP99).toBe(1.5);
  });

  it("passes a single round through", () => {
    const [first] = ROUNDS;
    const single = aggregateRounds(ROUNDS.slice(0, 1));
    expect(single.consumers.asm).toEqual({ ...first?.asm, p99Min: 2, p99Max: 2 });
    expect(single.asmToFloorP99).toBe(2);
  });

  it("leaves out a round whose floor p99 is zero from the paired ratio", () => {
    const zeroFloor: LatencyRound = { parse: run(0, 0, 0), asm: run(0.1, 1, 1), sdk: run(0.1, 1, 1) };
    expect(aggregateRounds([...ROUNDS.slice(0, 2), zeroFloor]).asmToFloorP99).toBe(1.5);
    expect(Number.isNaN(aggregateRounds([zeroFloor]).asmToFloorP99)).toBe(true);
  });

  it("refuses no rounds", () => {
    expect(() => aggregateRounds([])).toThrow(/no latency rounds/);
  });
});
