import { describe, expect, it } from "vitest";
import { median, percentiles, quantile, ratio, slope } from "./stats.js";

describe("stats", () => {
  it("interpolates quantiles", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it("summarizes latencies", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ p50: 50.5, p99: 99.01, max: 100, count: 100 });
  });

  it("fits a least-squares slope", () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2);
    expect(slope([{ x: 0, y: 4 }, { x: 10, y: 4 }])).toBe(0);
    expect(Number.isNaN(slope([{ x: 1, y: 1 }]))).toBe(true);
  });

  it("divides only finite non-zero denominators", () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(Number.isNaN(ratio(1, 0))).toBe(true);
    expect(Number.isNaN(ratio(Number.NaN, 1))).toBe(true);
  });
});
