import { isNativeLine, rawValueOf, type BackendEvent } from "@asm/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDeltaLine } from "./delta-line.js";
import { createGeminiParser } from "./parser.js";

// An assistant delta line is read from its text; every answer must be the one the parsed line gets.

const INIT = JSON.stringify({ type: "init", timestamp: "2026-11-21T09:07:23.756Z", session_id: "4f660269-dc14-4ba6-b3fe-523d9eb6bc85", model: "gemini-2.5-flash" });
const RESULT = JSON.stringify({ type: "result", timestamp: "2026-11-21T09:07:23.880Z", status: "success", stats: { total_tokens: 3, input_tokens: 2, output_tokens: 1 } });

/** A delta line in Gemini CLI's own layout. */
const deltaLine = (content: string) => JSON.stringify({ type: "message", timestamp: "2026-11-21T09:07:23.787Z", role: "assistant", content, delta: true });

/** The events of `lines` between the init and result lines, read from text and, for comparison, from parsed values. */
function bothWays(lines: string[]): { fromText: BackendEvent[]; fromValue: BackendEvent[] } {
  const text = createGeminiParser({ provider: "gemini", reply: () => {} });
  const parsed = createGeminiParser({ provider: "gemini", reply: () => {} });
  if (parsed.value === undefined) throw new Error("the Gemini parser reads parsed values too");
  const fromText: BackendEvent[] = [];
  const fromValue: BackendEvent[] = [];
  for (const line of [INIT, ...lines, RESULT]) {
    fromText.push(...text.line(line));
    fromValue.push(...parsed.value(JSON.parse(line)));
  }
  return { fromText, fromValue };
}

const plainRaw = (events: BackendEvent[]) => events.map((event) => ({ ...event, raw: rawValueOf(event.raw) }));

describe("assistant delta lines read from their text", () => {
  it("give the events the parsed line gives, the result's answer included", () => {
    const content = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constantFrom("", 'a"b\\c\nd\u0001', "\u2028"));
    fc.assert(
      fc.property(fc.array(content, { minLength: 1, maxLength: 5 }), (contents) => {
        const { fromText, fromValue } = bothWays(contents.map(deltaLine));
        expect(plainRaw(fromText)).toEqual(plainRaw(fromValue));
        expect(fromText.find((event) => event.kind === "result")?.payload).toMatchObject({ text: contents.join("") });
      }),
      { numRuns: 150 },
    );
  });

  it("keep the line as text when the layout is Gemini CLI's own", () => {
    const line = deltaLine('say "hi"\n');
    const delta = bothWays([line]).fromText.find((event) => event.kind === "assistant_delta") as BackendEvent;
    expect(delta.payload).toEqual({ content: 'say "hi"\n', format: "text" });
    expect(isNativeLine(delta.raw)).toBe(true);
    expect(rawValueOf(delta.raw)).toEqual(JSON.parse(line));
  });

  it("leave every other layout to the parsed path", () => {
    const base = deltaLine("hi");
    const variants = [
      base.replace('"delta":true', '"delta":false'),
      base.replace('"role":"assistant"', '"role":"user"'),
      base.replace('"content":"hi"', '"content":"hi","content":"again"'),
      base.replace('"delta":true}', '"delta":true,"role":"user"}'),
      base.replace('"content":"hi"', '"content":["hi"]'),
      base.replace('"timestamp":"', '"timestamp":"\\n'),
      base.replace('{"type"', '{ "type"'),
      `${base} `,
    ];
    for (const variant of variants) expect(readDeltaLine(variant), variant).toBeUndefined();
    const { fromText, fromValue } = bothWays(variants);
    expect(plainRaw(fromText)).toEqual(plainRaw(fromValue));
    expect(fromText.some((event) => isNativeLine(event.raw))).toBe(false);
  });
});
