import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Candidate } from "./candidate.js";
import { priorityStrategy, roundRobinStrategy, weightedStrategy } from "./strategies.js";
import { fromText } from "./reset-time.js";

const candidates = (weights: number[]): Candidate[] =>
  weights.map((weight, index) => ({ id: `c${index}`, provider: "p", providerOptions: {}, priority: 100, weight, index }));

function tally(choose: () => Candidate, times: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < times; i += 1) {
    const id = choose().id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe("strategies", () => {
  it("round robin picks each available candidate equally often", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 20 }), (size, rounds) => {
        const list = candidates(Array.from({ length: size }, () => 1));
        const strategy = roundRobinStrategy();
        const counts = tally(() => strategy.choose(list), size * rounds);
        for (const candidate of list) expect(counts.get(candidate.id)).toBe(rounds);
      }),
    );
  });

  it("weighted picks each candidate exactly weight times per window, never far from its share", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 10 }), (weights, windows) => {
        const list = candidates(weights);
        const total = weights.reduce((a, b) => a + b, 0);
        const strategy = weightedStrategy();
        const counts = new Map<string, number>();
        for (let i = 1; i <= total * windows; i += 1) {
          const id = strategy.choose(list).id;
          counts.set(id, (counts.get(id) ?? 0) + 1);
          // Smooth: at any point every candidate is within one selection of its exact share.
          for (const candidate of list) expect(Math.abs((counts.get(candidate.id) ?? 0) - (i * candidate.weight) / total)).toBeLessThan(1 + 1e-9);
        }
        for (const candidate of list) expect(counts.get(candidate.id)).toBe(candidate.weight * windows);
      }),
      { numRuns: 40 },
    );
  });

  it("priority picks the lowest value, ties to the earlier candidate", () => {
    const list = candidates([1, 1, 1]).map((candidate, index) => ({ ...candidate, priority: [5, 1, 1][index] as number }));
    expect(priorityStrategy().choose(list).id).toBe("c1");
  });

  it("reads reset times from provider messages", () => {
    expect(fromText("Rate limit reached. Please try again in 20s.", 1000)).toBe(21_000);
    expect(fromText("retry after 2 minutes", 0)).toBe(120_000);
    expect(fromText("quota resets at 2030-01-01T00:00:00Z", 0)).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(fromText("nothing here", 0)).toBeUndefined();
  });
});
