import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AsmError } from "@asm/contract";
import { createRedactor, MIN_SECRET_CHARS, redactAsmError, REDACTED, REDACTED_DEEP, secretValuesOf } from "./redaction.js";

const KEY = "zq-distinctive-7f3a9c1e5b";

describe("createRedactor", () => {
  it("replaces every occurrence of a literal secret, naming its variable", () => {
    const redactor = createRedactor({ secrets: [{ name: "OPENAI_API_KEY", value: KEY }] });
    expect(redactor.text(`a ${KEY} b${KEY}c`)).toBe("a [REDACTED:OPENAI_API_KEY] b[REDACTED:OPENAI_API_KEY]c");
  });

  it("replaces a longer secret whole when it contains a shorter one", () => {
    const redactor = createRedactor({ secrets: [{ value: "abcdefgh" }, { value: "abcdefghijkl", name: "LONG" }], shapes: false });
    expect(redactor.text("x abcdefghijkl y abcdefgh")).toBe(`x [REDACTED:LONG] y ${REDACTED}`);
  });

  it("escapes secrets that contain regular-expression syntax", () => {
    const redactor = createRedactor({ secrets: [{ value: "a.b*c+d?(e)[f]" }], shapes: false });
    expect(redactor.text("a.b*c+d?(e)[f] and aXbbbcdde")).toBe(`${REDACTED} and aXbbbcdde`);
  });

  it("ignores values too short to be a credential", () => {
    const redactor = createRedactor({ secrets: [{ value: "1".repeat(MIN_SECRET_CHARS - 1) }], shapes: false });
    expect(redactor.text("1111111 run")).toBe("1111111 run");
  });

  it("replaces the common credential shapes", () => {
    const redactor = createRedactor();
    expect(redactor.text("key sk-ant-api03-AbCdEfGhIjKlMnOpQrSt_uv rejected")).toBe(`key ${REDACTED} rejected`);
    expect(redactor.text("OPENAI sk-proj-1234567890abcdefghij!")).toBe(`OPENAI ${REDACTED}!`);
    expect(redactor.text("google AIzaSyA1234567890abcdefghijklmnopqrstu")).toBe(`google ${REDACTED}`);
    expect(redactor.text("Authorization: Bearer eyJhbGciOi.J9.abc==")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactor.text("authorization: bearer abcdefgh12345678")).toBe(`authorization: bearer ${REDACTED}`);
  });

  it("leaves prose that merely resembles a shape", () => {
    const redactor = createRedactor();
    for (const text of ["task-runner-configuration-file", "the bearer of news", "Bearer authentication-scheme", "sk-short", "risk-assessment-for-everyone"]) {
      expect(redactor.text(text)).toBe(text);
    }
  });

  it("redacts JSON-like values deeply, keys included, copying only what changes", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY, name: "K" }] });
    const untouched = { a: [1, "two", { three: null }], b: true };
    expect(redactor.value(untouched)).toBe(untouched);
    const input = { payload: { content: `echo ${KEY}` }, list: ["ok", KEY], [KEY]: 1, same: untouched };
    const output = redactor.value(input);
    expect(output).toEqual({ payload: { content: "echo [REDACTED:K]" }, list: ["ok", "[REDACTED:K]"], "[REDACTED:K]": 1, same: untouched });
    expect(output.same).toBe(untouched);
    expect(input.payload.content).toBe(`echo ${KEY}`);
  });

  it("keeps a __proto__ key a plain key", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY }] });
    const input = JSON.parse(`{"__proto__": "${KEY}"}`) as Record<string, unknown>;
    const output = redactor.value(input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.hasOwn(output, "__proto__")).toBe(true);
    expect(JSON.stringify(output)).not.toContain(KEY);
  });

  it("reads what a value holds now: a clean value changed afterwards is redacted the next time", () => {
    const lane = createRedactor({ secrets: [{ value: KEY }] });
    const raw = { line: { text: "clean" } };
    const event = { payload: { content: "x" }, raw };
    expect(lane.value(event)).toBe(event);
    (raw.line as Record<string, unknown>).text = `now ${KEY}`;
    const kernel = createRedactor({ secrets: [{ value: KEY }] });
    expect(JSON.stringify(kernel.value({ payload: { content: "y" }, raw }))).not.toContain(KEY);
    expect(JSON.stringify(lane.value(event))).not.toContain(KEY);
    const withoutShapes = createRedactor({ secrets: [{ value: KEY }], shapes: false });
    const shaped = { raw: { text: "sk-ant-api03-AbCdEfGhIjKlMnOpQrSt" } };
    expect(withoutShapes.value(shaped)).toBe(shaped);
    expect(JSON.stringify(createRedactor().value(shaped))).not.toContain("sk-ant");
  });

  it("walks own keys only: an inherited secret neither leaks into a copy nor forces one", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY }] });
    const inherited = Object.create({ planted: KEY }) as Record<string, unknown>;
    inherited["own"] = "clean";
    expect(redactor.value(inherited)).toBe(inherited);
    inherited["other"] = `has ${KEY}`;
    const copy = redactor.value(inherited);
    expect(copy).toEqual({ own: "clean", other: `has ${REDACTED}` });
    expect(Object.keys(copy)).toEqual(["own", "other"]);
  });

  it("judges long strings by their content, also one seen clean before", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY }] });
    const clean = "x".repeat(5000);
    const dirty = `${"x".repeat(5000 - KEY.length)}${KEY}`;
    expect(redactor.text(clean)).toBe(clean);
    expect(redactor.value({ content: clean, raw: { content: clean } })).toEqual({ content: clean, raw: { content: clean } });
    expect(redactor.text(dirty)).toBe(`${"x".repeat(5000 - KEY.length)}${REDACTED}`);
    expect(redactor.text(clean)).toBe(clean);
    expect(redactor.value({ a: dirty, b: dirty })).toEqual({ a: redactor.text(dirty), b: redactor.text(dirty) });
  });

  it("bounds the walk: deep and cyclic values end in a marker", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY }], maxDepth: 10 });
    let deep: unknown = KEY;
    for (let i = 0; i < 50; i++) deep = [deep];
    expect(JSON.stringify(redactor.value(deep))).toContain(REDACTED_DEEP);
    expect(JSON.stringify(redactor.value(deep))).not.toContain(KEY);
    const cyclic: Record<string, unknown> = { secret: KEY };
    cyclic.self = cyclic;
    expect(() => redactor.value(cyclic)).not.toThrow();
  });

  it("never lets a planted secret through, whatever surrounds it", () => {
    const secret = "Zx9-planted-secret-value";
    const redactor = createRedactor({ secrets: [{ value: secret }] });
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        expect(redactor.text(before + secret + after)).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });
});

describe("secretValuesOf", () => {
  it("takes the known secret variables and the ones marked secret", () => {
    const env = { OPENAI_API_KEY: "o-123456789", PATH: "/bin", MY_TOKEN: "t-123456789", EMPTY: "", GEMINI_API_KEY: "" };
    expect(secretValuesOf(env, ["MY_TOKEN", "EMPTY"])).toEqual([
      { name: "OPENAI_API_KEY", value: "o-123456789" },
      { name: "MY_TOKEN", value: "t-123456789" },
    ]);
  });
});

describe("redactAsmError", () => {
  it("redacts message and details, keeps code and retryability, drops the cause", () => {
    const redactor = createRedactor({ secrets: [{ value: KEY, name: "K" }] });
    const error = new AsmError("transport_exit", `exited: ${KEY}`, { cause: new Error(KEY), exitCode: 1, details: { stderrTail: `bad ${KEY}` } });
    const redacted = redactAsmError(error, redactor);
    expect(redacted.code).toBe("transport_exit");
    expect(redacted.retryable).toBe(error.retryable);
    expect(redacted.exitCode).toBe(1);
    expect(redacted.message).toBe("[transport/transport_exit] exited: [REDACTED:K]");
    expect(redacted.details).toEqual({ stderrTail: "bad [REDACTED:K]" });
    expect(redacted.cause).toBeUndefined();
    const clean = new AsmError("timeout", "no secret here");
    expect(redactAsmError(clean, redactor)).toBe(clean);
  });
});
