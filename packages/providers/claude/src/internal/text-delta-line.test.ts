import { isNativeLine, rawValueOf, type BackendEvent } from "@asm/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createClaudeParser } from "./parser.js";
import { readTextDeltaLine } from "./text-delta-line.js";

// A text fragment line is read from its text; every answer must be the one the parsed line gets.

const SESSION = "3261411a-7ab3-4bde-b1ef-a7ae56c84979";
const INIT = JSON.stringify({ type: "system", subtype: "init", session_id: SESSION, model: "claude-sonnet-4-5" });
const MESSAGE_START = JSON.stringify({ type: "stream_event", event: { type: "message_start", message: { id: "msg_1" } }, session_id: SESSION, parent_tool_use_id: null });

interface DeltaFields {
  text: string;
  index: number;
  sessionId: string;
  parent: string | null;
  apiMessageId: string | undefined;
}

/** A fragment line in Claude Code's own layout. */
function deltaLine(fields: DeltaFields): string {
  const line: Record<string, unknown> = {
    type: "stream_event",
    event: { type: "content_block_delta", index: fields.index, delta: { type: "text_delta", text: fields.text } },
    session_id: fields.sessionId,
    parent_tool_use_id: fields.parent,
    uuid: "6a1d2c3e-4f50-4a6b-8c7d-000000000003",
  };
  if (fields.apiMessageId !== undefined) line["api_message_id"] = fields.apiMessageId;
  return JSON.stringify(line);
}

/** The events of `lines` after the init line, read from text and, for comparison, from parsed values. */
function bothWays(lines: string[]): { fromText: BackendEvent[]; fromValue: BackendEvent[] } {
  const text = createClaudeParser({ provider: "claude", reply: () => {} });
  const parsed = createClaudeParser({ provider: "claude", reply: () => {} });
  if (parsed.value === undefined) throw new Error("the Claude parser reads parsed values too");
  const fromText: BackendEvent[] = [];
  const fromValue: BackendEvent[] = [];
  for (const line of [INIT, MESSAGE_START, ...lines]) {
    fromText.push(...text.line(line));
    fromValue.push(...parsed.value(JSON.parse(line)));
  }
  return { fromText, fromValue };
}

const plainRaw = (events: BackendEvent[]) => events.map((event) => ({ ...event, raw: rawValueOf(event.raw) }));

const fieldsArbitrary: fc.Arbitrary<DeltaFields> = fc.record({
  text: fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.constantFrom("", "a\"b\\c\nd\te\u0001", "</script>", "\u2028")),
  index: fc.oneof(fc.nat(), fc.constant(0), fc.constant(Number.MAX_SAFE_INTEGER)),
  sessionId: fc.constantFrom(SESSION, "", "another-session"),
  parent: fc.oneof(fc.constant(null), fc.constantFrom("", "toolu_01"), fc.string()),
  apiMessageId: fc.option(fc.constantFrom("msg_1", "msg_2"), { nil: undefined }),
});

describe("text fragment lines read from their text", () => {
  it("give the events the parsed line gives, for any fragment", () => {
    fc.assert(
      fc.property(fc.array(fieldsArbitrary, { minLength: 1, maxLength: 5 }), (many) => {
        const { fromText, fromValue } = bothWays(many.map(deltaLine));
        expect(plainRaw(fromText)).toEqual(plainRaw(fromValue));
      }),
      { numRuns: 400 },
    );
  });

  it("keep the line as text when the layout is Claude Code's own", () => {
    const line = deltaLine({ text: 'say "hi"\n', index: 1, sessionId: SESSION, parent: null, apiMessageId: "msg_1" });
    const { fromText } = bothWays([line]);
    const delta = fromText.at(-1) as BackendEvent;
    expect(delta.kind).toBe("assistant_delta");
    expect(delta.payload).toEqual({ content: 'say "hi"\n', index: 1, messageId: "msg_1" });
    expect(isNativeLine(delta.raw)).toBe(true);
    expect(rawValueOf(delta.raw)).toEqual(JSON.parse(line));
    expect(readTextDeltaLine(line)).toMatchObject({ text: 'say "hi"\n', index: 1, sessionId: SESSION, parentToolUseId: undefined });
  });

  it("leave every other layout to the parsed path", () => {
    const base = deltaLine({ text: "hi", index: 1, sessionId: SESSION, parent: "toolu_01", apiMessageId: "msg_1" });
    const variants = [
      base.replace('"index":1', '"index":01'),
      base.replace('"index":1', '"index":1.5'),
      base.replace('"index":1', '"index":-1'),
      base.replace('{"type":"stream_event",', '{ "type":"stream_event",'),
      base.replace('"uuid"', '"session_id":"other","uuid"'),
      base.replace(',"api_message_id":"msg_1"}', ',"api_message_id":"msg_1","session_id":"other"}'),
      base.replace('"text":"hi"', '"text":"hi","text":"again"'),
      base.replace('"text":"hi"', '"text":"h\\x"'),
      base.replace('"text":"hi"', '"text":"h\u0001"'),
      base.replace('"uuid":"', '"uuid":"\\n'),
      `${base} `,
      `${base}x`,
      base.slice(0, -1),
    ];
    for (const variant of variants) expect(readTextDeltaLine(variant), variant).toBeUndefined();
    const parseable = variants.filter((variant) => {
      try {
        JSON.parse(variant);
        return true;
      } catch {
        return false;
      }
    });
    const { fromText, fromValue } = bothWays(parseable);
    expect(plainRaw(fromText)).toEqual(plainRaw(fromValue));
    expect(fromText.some((event) => isNativeLine(event.raw))).toBe(false);
  });

  it("leave a new session id to the parsed path, which announces it", () => {
    const line = deltaLine({ text: "hi", index: 0, sessionId: "new-session", parent: null, apiMessageId: undefined });
    const { fromText } = bothWays([line]);
    expect(fromText.map((event) => event.kind).slice(-2)).toEqual(["session_updated", "assistant_delta"]);
  });
});
