import { describe, expect, it } from "vitest";
import { findVersion } from "./version.js";

describe("findVersion", () => {
  it.each([
    ["2.1.329 (Claude Code)\n", "2.1.329"],
    ["codex-cli 0.170.0-alpha.2", "0.170.0-alpha.2"],
    ["0.0.1790142911-g7618fb (released 2026-09-23T05:55:11.000Z, 1mo ago)", "0.0.1790142911-g7618fb"],
    ["v0.61.0", "0.61.0"],
    ["no version here", null],
    ["build 1.2.3.4", null],
  ])("%j → %s", (output, version) => {
    expect(findVersion(output)).toBe(version);
  });
});
