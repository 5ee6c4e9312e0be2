import { describe, expect, it } from "vitest";
import { ASM_ERROR_CODES, ASM_ERROR_CODE_LIST, AsmError, configError, isAsmError, isAsmErrorCode } from "./index.js";

describe("AsmError", () => {
  it("takes domain and retryability from the code table unless overridden", () => {
    const error = new AsmError("rate_limit", "slow down", { provider: "claude", exitCode: 1 });
    expect(error).toMatchObject({ code: "rate_limit", domain: "provider", retryable: true, provider: "claude", exitCode: 1, name: "AsmError" });
    expect(error.message).toBe("[provider/rate_limit] slow down");
    expect(error.reason).toBe("slow down");
    const overridden = new AsmError("rate_limit", "x", { domain: "transport", retryable: false });
    expect(overridden).toMatchObject({ domain: "transport", retryable: false });
  });

  it("is recognised by brand across copies, not by prototype", () => {
    const foreign = Object.assign(Object.create(null), { [Symbol.for("asm.error")]: true, code: "timeout" });
    expect(isAsmError(foreign)).toBe(true);
    expect(isAsmError(new Error("x"))).toBe(false);
    expect(isAsmError(null)).toBe(false);
    expect(AsmError.isInstance(configError("bad"))).toBe(true);
  });

  it("wraps foreign errors and keeps the cause", () => {
    const cause = new TypeError("boom");
    const wrapped = AsmError.from(cause, "transport_error");
    expect(wrapped.code).toBe("transport_error");
    expect(wrapped.cause).toBe(cause);
    const same = new AsmError("unknown", "x");
    expect(AsmError.from(same)).toBe(same);
    expect(AsmError.from("text").code).toBe("runtime");
  });

  it("round-trips through JSON, unknown codes becoming unknown", () => {
    const error = new AsmError("auth_error", "bad key", { provider: "codex", exitCode: 145, details: { status: 401 } });
    const back = AsmError.fromJSON(JSON.parse(JSON.stringify(error)));
    expect(back).toMatchObject({ code: "auth_error", domain: "provider", provider: "codex", exitCode: 145, details: { status: 401 }, reason: "bad key" });
    expect(AsmError.fromJSON({ code: "weird" as "unknown", domain: "runtime", message: "m", retryable: false }).code).toBe("unknown");
  });

  it("has one table entry per code with a known domain", () => {
    expect(ASM_ERROR_CODE_LIST).toContain("buffer_overflow");
    expect(ASM_ERROR_CODE_LIST).toContain("guardrail_blocked");
    for (const code of ASM_ERROR_CODE_LIST) expect(isAsmErrorCode(code)).toBe(true);
    expect(isAsmErrorCode("toString")).toBe(false);
    expect(Object.keys(ASM_ERROR_CODES)).toHaveLength(ASM_ERROR_CODE_LIST.length);
  });
});
