import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNativeLine, NativeLine } from "@asm/contract";
import { boundRaw } from "./bounded-raw.js";
import { createRedactor, REDACTED } from "./redaction.js";

// How the redactor and the raw bounds treat a line kept as text (a parser's shortcut keeps one).

const KEY = "zq-distinctive-7f3a9c1e5b";
const lineOf = (value: unknown, depth = 3) => new NativeLine(JSON.stringify(value), depth);
const delta = (text: string) => ({ type: "stream_event", event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, session_id: "s" });

describe("redacting a line kept as text", () => {
  const redactor = createRedactor({ secrets: [{ name: "OPENAI_API_KEY", value: KEY }] });

  it("gives the same line, unparsed, when no secret can be in it", () => {
    const line = lineOf(delta("plain words, \"quoted\", a\nnew line and a \\ backslash"));
    expect(redactor.value(line)).toBe(line);
    const event = { kind: "assistant_delta", payload: { content: "x" }, raw: line };
    expect(redactor.value(event)).toBe(event);
  });

  it("redacts a literal secret or a credential shape inside the line", () => {
    for (const [secret, replaced] of [
      [KEY, "[REDACTED:OPENAI_API_KEY]"],
      ["sk-ant-api03-abcdefghijklmnopqrstu", REDACTED],
      ["AIzaSyA1234567890abcdefghijklmnopqrstu", REDACTED],
    ] as const) {
      const redacted = redactor.value({ raw: lineOf(delta(`key ${secret} here`)) });
      expect(isNativeLine(redacted.raw)).toBe(false);
      expect(redacted.raw).toEqual(delta(`key ${replaced} here`));
    }
  });

  it("finds a secret that the line spells with escapes", () => {
    const spelled = (secret: string, escape: (char: string) => string) => `{"text":"${[...secret].map(escape).join("")}"}`;
    const unicode = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
    for (const text of [spelled(KEY, unicode), spelled("sk-ant-api03-abcdefghijklmnopqrstu", unicode), '{"text":"sk-ant\\/api"}'.replace("sk-ant\\/api", `${KEY.slice(0, 3)}\\/${KEY.slice(3)}`)]) {
      const redacted = redactor.value({ raw: new NativeLine(text, 1) });
      expect(JSON.stringify(redacted)).not.toContain(KEY);
      expect(JSON.stringify(redacted)).not.toContain("sk-ant-api03");
    }
    const slashKey = "ab/cdefgh/ijkl";
    const slashRedactor = createRedactor({ secrets: [{ value: slashKey }], shapes: false });
    expect(slashRedactor.value({ raw: new NativeLine('{"t":"ab\\/cdefgh\\/ijkl"}', 1) })).toEqual({ raw: { t: REDACTED } });
  });

  it("parses the line when a literal secret holds a character JSON writes escaped", () => {
    const quoted = 'pass"word\\1234';
    const quotedRedactor = createRedactor({ secrets: [{ value: quoted }], shapes: false });
    expect(quotedRedactor.value({ raw: lineOf({ text: `is ${quoted}` }, 1) })).toEqual({ raw: { text: `is ${REDACTED}` } });
  });

  it("agrees with the walk of the parsed line on any value", () => {
    const secretish = fc.constantFrom(KEY, "sk-ant-api03-abcdefghijklmnopqrstu", "Bearer abcdefghijklmnop1234", "plain", "\\u0073", "\n\"\\/");
    const text = fc.array(fc.oneof(fc.string(), secretish), { maxLength: 4 }).map((parts) => parts.join(" "));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.constant(null), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(text, tie("node"), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, (native) => {
        const text = JSON.stringify(native);
        const fromLine = redactor.value({ raw: new NativeLine(text, 100) });
        const fromValue = redactor.value({ raw: JSON.parse(text) as unknown });
        expect(JSON.stringify(fromLine)).toBe(JSON.stringify(fromValue));
      }),
      { numRuns: 300 },
    );
  });

  it("walks the parsed line when the line nests beyond the redactor's depth", () => {
    const shallow = createRedactor({ secrets: [{ value: KEY }], maxDepth: 2 });
    const redacted = shallow.value({ raw: lineOf(delta("clean")) });
    expect(isNativeLine(redacted.raw)).toBe(false);
    expect(JSON.stringify(redacted)).toContain("[REDACTED:too deep]");
  });
});

describe("bounding a line kept as text", () => {
  it("keeps a line within the limits as it is, unparsed", () => {
    const line = lineOf(delta("short"));
    const bounded = boundRaw(line);
    expect(bounded.value).toBe(line);
    expect(bounded.truncation).toBeUndefined();
  });

  it("parses and cuts a line beyond them, as it cuts the value", () => {
    const value = delta("x".repeat(200));
    for (const limits of [{ maxChars: 50 }, { maxDepth: 2 }, { maxNodes: 5 }, { maxEntries: 2 }]) {
      const fromLine = boundRaw(lineOf(value), limits);
      expect(fromLine).toEqual(boundRaw(value, limits));
      expect(fromLine.truncation).toBeDefined();
    }
  });
});
