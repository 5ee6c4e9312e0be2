import { backendEvent } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { createUnknownTypeWarnings, MAX_DRIFT_KEYS, MAX_TYPE_NAME_CHARS } from "./schema-drift.js";

const unknown = (type: string) => backendEvent("raw", { stream: "stdout", content: {} }, { metadata: { unknownType: type } });

describe("createUnknownTypeWarnings", () => {
  it("warns once per unknown type, naming the type and the profile", () => {
    const drift = createUnknownTypeWarnings("claude");
    const first = drift.after(unknown("telemetry"));
    expect(first).toMatchObject({ kind: "warning", payload: { code: "schema_drift", details: { type: "telemetry", profile: "claude" } } });
    expect(drift.after(unknown("telemetry"))).toBeUndefined();
    expect(drift.after(unknown("other"))?.payload).toMatchObject({ details: { type: "other" } });
  });

  it("ignores known events and raw events without an unknown type", () => {
    const drift = createUnknownTypeWarnings("codex");
    expect(drift.after(backendEvent("assistant_delta", { content: "hi" }))).toBeUndefined();
    expect(drift.after(backendEvent("raw", { stream: "stdout", content: {} }))).toBeUndefined();
  });

  it("stays bounded: at most MAX_DRIFT_KEYS types are warned about, each name cut to MAX_TYPE_NAME_CHARS", () => {
    const drift = createUnknownTypeWarnings("gemini");
    let warnings = 0;
    for (let index = 0; index < MAX_DRIFT_KEYS + 50; index += 1) if (drift.after(unknown(`type-${index}`)) !== undefined) warnings += 1;
    expect(warnings).toBe(MAX_DRIFT_KEYS);
    const small = createUnknownTypeWarnings("gemini", 2);
    const long = small.after(unknown("x".repeat(10_000)));
    expect(String((long?.payload as { details: { type: string } }).details.type).length).toBeLessThan(MAX_TYPE_NAME_CHARS + 40);
  });
});
