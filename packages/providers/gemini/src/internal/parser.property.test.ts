import { isOutcomeEvent, payloadSchemas } from "@asm/contract";
import fc from "fast-check";
import { cutAt, framedLines } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { geminiTranscript as loadTranscript, TRANSCRIPTS } from "../__fixtures__/gemini-transcripts.js";
import { createGeminiParser } from "./parser.js";

const context = { provider: "gemini", reply: () => undefined };
const transcripts = TRANSCRIPTS.map((name) => loadTranscript(name));

const exitInfo = fc.record({
  exitCode: fc.oneof(fc.constant(null), fc.constantFrom(0, 1, 41, 42, 52, 55, 130, 145, 173, 244), fc.integer({ min: 0, max: 255 })),
  signal: fc.oneof(fc.constant(null), fc.constantFrom("SIGINT", "SIGTERM", "SIGKILL")),
  stderrTail: fc.oneof(fc.string(), fc.constantFrom(...transcripts.map((transcript) => transcript.stderr))),
  outcomeSeen: fc.constant(false),
});

describe("createGeminiParser properties", () => {
  it("gives the same events for any chunking of a transcript", () => {
    fc.assert(
      fc.property(fc.constantFrom(...transcripts), fc.array(fc.nat(), { maxLength: 40 }), (transcript, cuts) => {
        const replay = (lines: readonly string[]) => {
          const parser = createGeminiParser(context);
          return lines.flatMap((line) => parser.line(line));
        };
        expect(replay(framedLines(cutAt(transcript.stdout, cuts)))).toEqual(replay(transcript.lines));
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary lines and only emits valid payloads", () => {
    const line = fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom(...transcripts.flatMap((transcript) => transcript.lines)),
      fc
        .record({
          type: fc.constantFrom("init", "message", "tool_use", "tool_result", "error", "result", "other"),
          role: fc.constantFrom("user", "assistant", "system", 3),
          content: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          delta: fc.boolean(),
          status: fc.constantFrom("success", "error", "weird"),
          stats: fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.double(), fc.string()))),
          tool_id: fc.oneof(fc.string(), fc.integer()),
          tool_name: fc.oneof(fc.string(), fc.constant(undefined)),
          session_id: fc.oneof(fc.string(), fc.constant(null)),
        })
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), exitInfo, (lines, exit) => {
        const parser = createGeminiParser(context);
        const events = [...lines.flatMap((text) => parser.line(text)), ...parser.exit(exit)];
        for (const event of events) expect(() => payloadSchemas[event.kind].parse(event.payload)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it("ends with exactly one outcome after exit, whatever came before", () => {
    const line = fc.oneof(fc.string(), fc.constantFrom(...transcripts.flatMap((transcript) => transcript.lines)));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), exitInfo, (lines, exit) => {
        const parser = createGeminiParser(context);
        const events = [...lines.flatMap((text) => parser.line(text)), ...parser.exit(exit)];
        expect(events.filter((event) => isOutcomeEvent(event))).toHaveLength(1);
        // A second exit report changes nothing.
        expect(parser.exit(exit)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
