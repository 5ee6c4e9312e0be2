import { describe, expect, it } from "vitest";
import { isAsmError } from "@asm/contract";
import { parseCoreLaneRunOptions } from "./run-options.js";

describe("parseCoreLaneRunOptions", () => {
  it("applies the documented defaults", () => {
    expect(parseCoreLaneRunOptions({})).toEqual({
      idleTimeoutMs: 300_000,
      wallTimeoutMs: 3_600_000,
      maxLineBytes: 32 * 1024 * 1024,
      stderrTailBytes: 8 * 1024,
      closeGraceMs: 2_000,
      completionGraceMs: 500,
      maxArgvPromptBytes: 100_000,
      checkVersion: true,
    });
  });

  it("merges run options over backend defaults, ignoring undefined values", () => {
    const options = parseCoreLaneRunOptions(
      { idleTimeoutMs: 50, cliPath: undefined, env: { A: "1", B: undefined } },
      { idleTimeoutMs: 10, closeGraceMs: 0, cliPath: "/bin/x" },
    );
    expect(options).toMatchObject({ idleTimeoutMs: 50, closeGraceMs: 0, cliPath: "/bin/x", env: { A: "1", B: undefined } });
  });

  it("rejects unknown keys and bad values with config_invalid", () => {
    // extraArgs included: the profile owns the command line, the lane adds no arguments.
    for (const value of [{ idleTimeout: 5 }, { idleTimeoutMs: -1 }, { maxLineBytes: 1.5 }, { extraArgs: "--x" }, { extraArgs: ["--x"] }]) {
      let caught: unknown;
      try {
        parseCoreLaneRunOptions(value);
      } catch (error) {
        caught = error;
      }
      expect(isAsmError(caught) && caught.code).toBe("config_invalid");
    }
  });
});
