import { isOutcomeEvent, payloadSchemas, type BackendEvent } from "@asm/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nonEmptyString } from "./guards.js";
import { createJsonLineParser, MISSING_TYPE } from "./json-line-parser.js";
import { createParserEvents } from "./parser-events.js";

// A small parser built on the skeleton: `hello` lines set the session id, `say` lines are text,
// `boom` lines throw inside their handler.
function tinyParser() {
  let sessionId: string | undefined;
  const events = createParserEvents({ sessionId: () => sessionId });
  return createJsonLineParser({
    cliName: "Tiny",
    events,
    handlers: {
      hello: (line) => {
        sessionId = nonEmptyString(line["id"]);
        return [events.event("session_updated", { providerSessionId: sessionId ?? "none" }, line)];
      },
      say: (line) => [events.event("assistant_delta", { content: String(line["text"]) }, line)],
      boom: (line) => [events.event("assistant_delta", { content: (line["text"] as { length: number }).length.toFixed() }, line)],
    },
    stderr: (chunk) => [events.event("stderr", { content: chunk })],
    exit: () => [events.event("result", { text: "done" })],
  });
}

const kinds = (events: readonly BackendEvent[]) => events.map((event) => event.kind);

describe("createJsonLineParser", () => {
  it("ignores blank lines", () => {
    expect(tinyParser().line("   ")).toEqual([]);
  });

  it("turns a non-JSON line into a non-terminal parse_error carrying the line", () => {
    const [event] = tinyParser().line("not json {");
    expect(event).toMatchObject({ kind: "error", payload: { code: "parse_error", severity: "warning", details: { line: "not json {" } }, raw: "not json {" });
    expect(event && isOutcomeEvent(event)).toBe(false);
  });

  it("passes JSON that is not an object through as raw, warning once", () => {
    const parser = tinyParser();
    expect(kinds(parser.line("[1,2]"))).toEqual(["raw", "warning"]);
    expect(kinds(parser.line("42"))).toEqual(["raw"]);
  });

  it("dispatches by type and stamps the session id once known", () => {
    const parser = tinyParser();
    const before = parser.line('{"type":"say","text":"a"}');
    parser.line('{"type":"hello","id":"s-1"}');
    const after = parser.line('{"type":"say","text":"b"}');
    expect(before[0]?.providerSessionId).toBeUndefined();
    expect(after[0]).toMatchObject({ kind: "assistant_delta", payload: { content: "b" }, providerSessionId: "s-1", raw: { type: "say", text: "b" } });
  });

  it("marks unknown types, missing types and prototype names as unknownType raw", () => {
    const parser = tinyParser();
    for (const [line, type] of [
      ['{"type":"brand_new"}', "brand_new"],
      ['{"text":"no type"}', MISSING_TYPE],
      ['{"type":""}', MISSING_TYPE],
      ['{"type":"__proto__"}', "__proto__"],
      ['{"type":"constructor"}', "constructor"],
      ['{"type":"toString"}', "toString"],
    ] as const) {
      const events = parser.line(line);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "raw", metadata: { unknownType: type } });
    }
  });

  it("a handler that throws loses nothing and the parser goes on", () => {
    const parser = tinyParser();
    const events = parser.line('{"type":"boom"}');
    expect(kinds(events)).toEqual(["raw", "error"]);
    expect(events[1]?.payload).toMatchObject({ code: "parse_error", severity: "warning", details: { type: "boom" } });
    expect(kinds(parser.line('{"type":"say","text":"still here"}'))).toEqual(["assistant_delta"]);
  });

  it("bounds raw so that every event serialises, and reports the cut", () => {
    const parser = tinyParser();
    const line = `{"type":"say","text":"deep","extra":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const [event] = parser.line(line);
    expect(() => JSON.stringify(event)).not.toThrow();
    expect(event?.metadata).toMatchObject({ rawTruncated: { depth: 1 } });
    const [unknown] = parser.line(`{"type":"x","extra":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    expect(() => JSON.stringify(unknown)).not.toThrow();
  });

  it("value() gives the same events as line() of the value's JSON, for any JSON value", () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.record({ type: fc.constantFrom("hello", "say", "boom", "__proto__", "x"), id: fc.string(), text: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (values) => {
        const byLine = tinyParser();
        const byValue = tinyParser();
        for (const item of values) {
          // JSON.parse(JSON.stringify(…)): what a line of this value parses to (-0 becomes 0, and so on).
          const parsed: unknown = JSON.parse(JSON.stringify(item));
          expect(byValue.value?.(parsed)).toEqual(byLine.line(JSON.stringify(item)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never throws and emits only valid payloads, whatever the lines", () => {
    const line = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ type: fc.constantFrom("hello", "say", "boom", "__proto__", "x"), id: fc.anything(), text: fc.anything() }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const parser = tinyParser();
        for (const text of lines) {
          for (const event of parser.line(text)) {
            expect(payloadSchemas[event.kind].safeParse(event.payload).success).toBe(true);
            expect(() => JSON.stringify(event)).not.toThrow();
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("createParserEvents", () => {
  it("warns about one drift key once, and stops warning past maxDriftKeys", () => {
    const events = createParserEvents({ maxDriftKeys: 2 });
    expect(kinds(events.drift("a", "odd a", {}))).toEqual(["raw", "warning"]);
    expect(kinds(events.drift("a", "odd a", {}))).toEqual(["raw"]);
    expect(kinds(events.drift("b", "odd b", {}))).toEqual(["raw", "warning"]);
    expect(kinds(events.drift("c", "odd c", {}))).toEqual(["raw"]);
  });

  it("bounds a huge type name", () => {
    const event = createParserEvents().unknownType("t".repeat(10_000), {});
    expect(String(event.metadata?.["unknownType"]).length).toBeLessThan(200);
  });
});
