import { isOutcomeEvent, type BackendEvent } from "@asm/contract";
import { expectValidPayloads } from "@asm/testkit/assertions";
import { cutAt, framedLines, linesOf } from "@asm/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RECORDED, SYNTHETIC, exitInfo, recorded, synthetic } from "../__fixtures__/amp-transcripts.js";
import { createAmpParser } from "./parser.js";

const TRANSCRIPTS = [...SYNTHETIC.map((name) => synthetic(name).stdout), ...RECORDED.map((name) => recorded(name).stdout)];
const ALL_LINES = TRANSCRIPTS.flatMap(linesOf);
const KNOWN_TYPES = [
  "system",
  "assistant",
  "assistant_message",
  "message_received",
  "user",
  "result",
  "run_completed",
  "message_streamed",
  "assistant_delta",
  "text_delta",
  "thinking",
  "tool_call_started",
  "tool_use",
  "tool_call_completed",
  "tool_call_failed",
  "tool_result",
  "approval_requested",
  "approval_resolved",
  "token_usage_updated",
  "cost_update",
  "run_cancelled",
  "error",
  "error_occurred",
  "run_failed",
  "something_new",
];

function feedAll(lines: string[]): BackendEvent[] {
  const parser = createAmpParser();
  return lines.flatMap((line) => parser.line(line));
}

const block = fc.record({
  type: fc.constantFrom("text", "thinking", "tool_use", "tool_result", "image", 7),
  text: fc.option(fc.jsonValue()),
  thinking: fc.option(fc.jsonValue()),
  id: fc.option(fc.jsonValue()),
  name: fc.option(fc.jsonValue()),
  input: fc.option(fc.jsonValue()),
  tool_use_id: fc.option(fc.jsonValue()),
  content: fc.option(fc.oneof(fc.jsonValue(), fc.array(fc.record({ type: fc.constantFrom("text", "image"), text: fc.jsonValue() })))),
  is_error: fc.option(fc.jsonValue()),
});
const message = fc.record({
  id: fc.option(fc.jsonValue()),
  model: fc.option(fc.jsonValue()),
  stop_reason: fc.option(fc.jsonValue()),
  usage: fc.option(fc.oneof(fc.jsonValue(), fc.record({ input_tokens: fc.double(), output_tokens: fc.integer() }))),
  content: fc.oneof(fc.jsonValue(), fc.array(fc.oneof(block, fc.jsonValue()), { maxLength: 4 })),
});

/** JSON-ish values shaped like stream lines: known types with arbitrary, often wrong, fields. */
const nativeLine = fc
  .record({
    type: fc.constantFrom(...KNOWN_TYPES),
    subtype: fc.option(fc.constantFrom("init", "success", "error_during_execution", "error_max_turns", "other")),
    session_id: fc.option(fc.oneof(fc.string(), fc.integer())),
    is_error: fc.option(fc.boolean()),
    severity: fc.option(fc.constantFrom("info", "warning", "error", "fatal", "bogus")),
    message: fc.option(fc.oneof(fc.jsonValue(), message)),
    usage: fc.option(fc.oneof(fc.jsonValue(), fc.record({ input_tokens: fc.double(), output_tokens: fc.double() }))),
    content: fc.option(fc.jsonValue()),
    result: fc.option(fc.jsonValue()),
    delta: fc.option(fc.jsonValue()),
    tool_input: fc.option(fc.jsonValue()),
    mcp_servers: fc.option(fc.jsonValue()),
  })
  .map((record) => JSON.stringify(record));

const anyLine = fc.oneof(fc.string(), fc.json(), nativeLine, fc.constantFrom(...ALL_LINES));

describe("createAmpParser properties", () => {
  it("gives the same events however a transcript is chunked", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRANSCRIPTS), fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        const expected = feedAll(linesOf(text));
        expect(feedAll(framedLines(cutAt(text, cuts)))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws on arbitrary lines and always emits contract-valid payloads", () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 25 }), (lines) => {
        const events = feedAll(lines);
        expectValidPayloads(events);
        expect(events.filter(isOutcomeEvent).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it("has exactly one outcome after exit(), whatever came before and however the process ended", () => {
    fc.assert(
      fc.property(
        fc.array(anyLine, { maxLength: 25 }),
        fc.option(fc.integer({ min: 0, max: 255 })),
        fc.option(fc.constantFrom("SIGINT", "SIGTERM", "SIGKILL")),
        fc.oneof(fc.string(), fc.constantFrom(...RECORDED.map((name) => recorded(name).stderr))),
        (lines, exitCode, signal, stderr) => {
          const parser = createAmpParser();
          const events = lines.flatMap((line) => parser.line(line));
          events.push(...parser.stderr(stderr));
          events.push(...parser.exit(exitInfo(events, exitCode, stderr, exitCode === null ? signal : null)));
          expectValidPayloads(events);
          expect(events.filter(isOutcomeEvent)).toHaveLength(1);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("is deterministic: the same lines give equal events in a fresh parser", () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 25 }), (lines) => {
        expect(feedAll(lines)).toEqual(feedAll(lines));
      }),
      { numRuns: 100 },
    );
  });
});
