import { AsmError, backendEvent } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { expectAsmError, expectAsmErrorAsync } from "./expect-asm-error.js";
import { expectValidPayloads } from "./expect-valid-payloads.js";

const invalid = () => {
  throw new AsmError("config_invalid", "sandbox cannot be combined with bypass", { provider: "codex", details: { key: "sandbox", extra: 1 } });
};

// Runs an assertion that must fail, and returns its message.
function failureOf(assertion: () => unknown): string {
  try {
    assertion();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new AsmError("runtime", "the assertion passed although it should have failed");
}

describe("expectAsmError", () => {
  it("passes on the expected code, message, provider and details, and returns the error", () => {
    const error = expectAsmError(invalid, { code: "config_invalid", message: "sandbox", provider: "codex", details: { key: "sandbox" } });
    expect(error.details["extra"]).toBe(1);
    expect(expectAsmError(invalid, "config_invalid").code).toBe("config_invalid");
    expectAsmError(invalid, { code: "config_invalid", message: /combined with (bypass|plan)/ });
  });

  it("fails on a wrong code, message, provider or details", () => {
    expect(failureOf(() => expectAsmError(invalid, "auth_error"))).toMatch(/code of: \[config\/config_invalid\]/);
    expect(failureOf(() => expectAsmError(invalid, { code: "config_invalid", message: "timeout" }))).toMatch(/timeout/);
    expect(failureOf(() => expectAsmError(invalid, { code: "config_invalid", provider: "claude" }))).toMatch(/claude/);
    expect(failureOf(() => expectAsmError(invalid, { code: "config_invalid", details: { key: "model" } }))).toMatch(/model/);
  });

  it("fails when nothing, or something else, is thrown, or a promise comes back", () => {
    expect(failureOf(() => expectAsmError(() => 1, "config_invalid"))).toMatch(/nothing was thrown/);
    expect(failureOf(() => expectAsmError(() => JSON.parse("{"), "parse_error"))).toMatch(/expected an AsmError with code parse_error, got SyntaxError/);
    expect(failureOf(() => expectAsmError(() => Promise.reject(new Error("x")), "runtime"))).toMatch(/expectAsmErrorAsync/);
  });
});

describe("expectAsmErrorAsync", () => {
  it("passes on a rejection with the expected code, fails when the promise resolves", async () => {
    const error = await expectAsmErrorAsync(Promise.reject(new AsmError("timeout", "idle")), { code: "timeout", message: "idle" });
    expect(error.retryable).toBe(true);
    await expectAsmErrorAsync(() => Promise.resolve().then(invalid), "config_invalid");
    await expect(expectAsmErrorAsync(Promise.resolve(1), "timeout")).rejects.toThrow(/but it resolved/);
  });
});

describe("expectValidPayloads", () => {
  it("passes valid events and names the first invalid one", () => {
    expectValidPayloads([backendEvent("assistant_delta", { content: "hi" }), backendEvent("result", {})]);
    let message = "";
    try {
      expectValidPayloads([backendEvent("result", {}), { kind: "tool_use", payload: { toolName: 7 } } as never]);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/event 1 \(tool_use\)/);
  });
});
