import { describe, expect, it } from "vitest";
import { AsmError } from "@asm/contract";
import { EXIT_CODES, exitCodeFor, isUsageError, usageError } from "./exit-codes.js";

describe("exitCodeFor", () => {
  it.each([
    ["config_invalid", 3],
    ["cli_not_found", 4],
    ["auth_error", 5],
    ["rate_limit", 6],
    ["quota_exhausted", 6],
    ["timeout", 7],
    ["unsupported", 8],
    ["not_found", 9],
    ["user_cancelled", 130],
    ["transport_exit", 1],
    ["parse_error", 1],
    ["guardrail_blocked", 1],
    ["runtime", 1],
    ["unknown", 1],
  ] as const)("maps %s to %d", (code, exit) => {
    expect(exitCodeFor(new AsmError(code, "x"))).toBe(exit);
  });

  it("gives usage errors 2, success 0, and anything else 1", () => {
    expect(exitCodeFor(usageError("bad flag"))).toBe(EXIT_CODES.usage);
    expect(isUsageError(usageError("bad flag"))).toBe(true);
    expect(isUsageError(new AsmError("config_invalid", "bad option"))).toBe(false);
    expect(exitCodeFor(null)).toBe(0);
    expect(exitCodeFor(new Error("boom"))).toBe(1);
  });

  it("gives a permission mode the provider lacks 8, whichever layer refused it", () => {
    expect(exitCodeFor(new AsmError("unsupported", "no plan", { details: { key: "permissionMode", mode: "plan" } }))).toBe(8);
    expect(exitCodeFor(new AsmError("config_invalid", "no plan", { details: { key: "permissionMode", mode: "plan" } }))).toBe(8);
    expect(exitCodeFor(new AsmError("config_invalid", "bad model", { details: { key: "model" } }))).toBe(3);
  });

  it("uses distinct codes for distinct error classes", () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
