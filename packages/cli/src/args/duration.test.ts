import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["90", 90_000],
    ["1.5", 1_500],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["250ms", 250],
    ["1h30m", 5_400_000],
    ["2m30s", 150_000],
    [" 10S ", 10_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text, "--timeout")).toBe(ms);
  });

  it.each(["", "abc", "5 minutes", "-5s", "5x", "m5", "0", "0s", "1.2.3s"])("rejects %j as a usage error naming the flag", (text) => {
    let caught: unknown;
    try {
      parseDuration(text, "--idle-timeout");
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "config_invalid", details: { usage: true, flag: "--idle-timeout" } });
    expect(String((caught as Error).message)).toContain("--idle-timeout");
  });
});

describe("formatDuration", () => {
  it("formats milliseconds, seconds and minutes", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_340)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m05s");
  });
});
