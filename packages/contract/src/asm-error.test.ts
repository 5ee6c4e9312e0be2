import { describe, expect, it } from "vitest";
import {
  ASM_ERROR_CODES,
  ASM_ERROR_CODE_LIST,
  ASM_ERROR_DOMAINS,
  ASM_WARNING_CODE_LIST,
  AsmError,
  configError,
  createEvent,
  domainOf,
  isAsmError,
  isAsmErrorCode,
  isWarningCode,
  type SerializedAsmError,
} from "./index.js";

describe("AsmError", () => {
  it("takes domain and retryability from the code table; only retryability can be overridden", () => {
    const error = new AsmError("rate_limit", "slow down", { provider: "claude", exitCode: 1 });
    expect(error).toMatchObject({ code: "rate_limit", domain: "provider", retryable: true, provider: "claude", exitCode: 1, name: "AsmError" });
    expect(error.message).toBe("[provider/rate_limit] slow down");
    expect(error.reason).toBe("slow down");
    const overridden = new AsmError("rate_limit", "x", { retryable: false, ...({ domain: "transport" } as object) });
    expect(overridden).toMatchObject({ domain: "provider", retryable: false });
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

  it("round-trips through JSON; unknown codes become unknown and the domain follows the code", () => {
    const error = new AsmError("auth_error", "bad key", { provider: "codex", exitCode: 145, details: { status: 401 } });
    const back = AsmError.fromJSON(JSON.parse(JSON.stringify(error)) as SerializedAsmError);
    expect(back).toMatchObject({ code: "auth_error", domain: "provider", provider: "codex", exitCode: 145, details: { status: 401 }, reason: "bad key" });
    expect(AsmError.fromJSON({ code: "weird" as "unknown", domain: "runtime", message: "m", retryable: false }).code).toBe("unknown");
    expect(AsmError.fromJSON({ code: "not_found", domain: "config", message: "m", retryable: false }).domain).toBe("runtime");
  });
});

describe("the error code table", () => {
  // The stable codes, written out: removing or renaming one must be a deliberate change here.
  const STABLE_CODES = [
    "cli_not_found",
    "auth_error",
    "rate_limit",
    "quota_exhausted",
    "timeout",
    "parse_error",
    "buffer_overflow",
    "transport_exit",
    "transport_error",
    "at_capacity",
    "user_cancelled",
    "guardrail_blocked",
    "tool_failed",
    "config_invalid",
    "unsupported",
    "not_found",
    "connection_failed",
    "store_unavailable",
    "runtime",
    "unknown",
  ];

  it("lists exactly the stable codes, in table order", () => {
    expect(ASM_ERROR_CODE_LIST).toEqual(STABLE_CODES);
    for (const code of STABLE_CODES) expect(isAsmErrorCode(code)).toBe(true);
    for (const removed of ["queue_full", "approval_denied", "toString", "__proto__"]) expect(isAsmErrorCode(removed)).toBe(false);
  });

  it("gives every code a known domain, and every domain at least one code", () => {
    const used = new Set(ASM_ERROR_CODE_LIST.map((code) => domainOf(code)));
    for (const domain of used) expect(ASM_ERROR_DOMAINS).toContain(domain);
    expect([...used].sort()).toEqual([...ASM_ERROR_DOMAINS].sort());
    expect(Object.values(ASM_ERROR_CODES).every((entry) => typeof entry.retryable === "boolean")).toBe(true);
  });

  it("refuses error and run_completed payloads whose code is not in the table", () => {
    const scope = { runId: "r", sessionId: "s", provider: "claude" };
    expect(() => createEvent({ ...scope, kind: "run_completed", payload: { status: "failed", error: { code: "oops" as "unknown", message: "m" } } })).toThrow(AsmError);
    const ok = createEvent({ ...scope, kind: "run_completed", payload: { status: "failed", error: { code: "not_found", message: "m" } } });
    expect(ok.payload.error?.code).toBe("not_found");
  });
});

describe("warning codes", () => {
  const scope = { runId: "r", sessionId: "s", provider: "claude" };

  it("accepts ASM's own codes and namespaced ones, nothing else", () => {
    for (const code of ASM_WARNING_CODE_LIST) expect(isWarningCode(code)).toBe(true);
    expect(isWarningCode("audit.tool_seen")).toBe(true);
    expect(isWarningCode("policy.rule-7.hit")).toBe(true);
    for (const bad of ["audit", "Schema_Drift", ".x", "x.", "toString", "", 7]) expect(isWarningCode(bad)).toBe(false);
  });

  it("is enforced on warning payloads", () => {
    expect(createEvent({ ...scope, kind: "warning", payload: { code: "schema_drift", message: "m" } }).payload.code).toBe("schema_drift");
    expect(createEvent({ ...scope, kind: "warning", payload: { code: "audit.tool_seen", message: "m" } }).payload.code).toBe("audit.tool_seen");
    expect(() => createEvent({ ...scope, kind: "warning", payload: { code: "made_up" as "schema_drift", message: "m" } })).toThrow(AsmError);
  });
});
