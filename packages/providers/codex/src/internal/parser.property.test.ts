import { isOutcomeEvent, payloadSchemas, type BackendEvent } from "@asm/contract";
import fc from "fast-check";
import { cutAt, framedLines } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { codexTranscript as loadTranscript, TRANSCRIPTS } from "../__fixtures__/codex-transcripts.js";
import { createCodexParser } from "./parser.js";

const context = () => ({ provider: "codex", reply: () => undefined });

function replayLines(lines: readonly string[]): BackendEvent[] {
  const parser = createCodexParser(context());
  return lines.flatMap((line) => parser.line(line));
}

const transcriptLines = TRANSCRIPTS.flatMap((name) => loadTranscript(name).lines);

describe("createCodexParser properties", () => {
  it.each(TRANSCRIPTS)("%s: any chunking of stdout gives the same events as whole lines", (name) => {
    const transcript = loadTranscript(name);
    const expected = replayLines(transcript.lines);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        expect(replayLines(framedLines(cutAt(transcript.stdout, cuts)))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on arbitrary lines, and every event it emits has a valid payload", () => {
    const line = fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom(...transcriptLines),
      fc.record({ type: fc.constantFrom("item.started", "item.completed", "item.updated", "turn.completed", "turn.failed", "error", "thread.started"), item: fc.anything(), usage: fc.anything(), error: fc.anything(), message: fc.anything(), thread_id: fc.anything() }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const parser = createCodexParser(context());
        for (const text of lines) {
          for (const event of parser.line(text)) {
            expect(payloadSchemas[event.kind].safeParse(event.payload).success, JSON.stringify(event)).toBe(true);
          }
        }
        parser.stderr(lines.join("\n"));
      }),
      { numRuns: 300 },
    );
  });

  it("after exit() there is exactly one outcome, whatever came before", () => {
    const exitInfo = fc.record({
      exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
      signal: fc.option(fc.constantFrom("SIGINT", "SIGTERM", "SIGKILL"), { nil: null }),
      stderrTail: fc.oneof(fc.string(), fc.constantFrom("Not inside a trusted directory", "unexpected status 401", "")),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...transcriptLines), fc.string()), { maxLength: 25 }), exitInfo, (lines, info) => {
        const parser = createCodexParser(context());
        const events = lines.flatMap((text) => parser.line(text));
        const outcomeSeen = events.some(isOutcomeEvent);
        events.push(...parser.exit({ ...info, outcomeSeen }));
        expect(events.filter(isOutcomeEvent)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
