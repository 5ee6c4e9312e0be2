import { fuzzParser, fuzzRuns } from "@asm/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { codexTranscript, TRANSCRIPTS } from "../__fixtures__/codex-transcripts.js";
import { createCodexParser } from "./parser.js";

const RUNS = fuzzRuns(25_000);

describe("createCodexParser under hostile input", () => {
  it(`stays total and bounded over ${RUNS} runs of up to 8 hostile lines`, () => {
    const report = fuzzParser({
      createParser: () => createCodexParser({ provider: "codex", reply: () => undefined }),
      lines: TRANSCRIPTS.flatMap((name) => codexTranscript(name).lines),
      types: ["thread.started", "turn.started", "item.started", "item.updated", "item.completed", "turn.completed", "turn.failed", "error"],
      fields: ["thread_id", "item", "usage", "error", "message", "id", "type", "text", "command", "aggregated_output", "exit_code", "status", "changes", "items", "query", "server", "tool", "arguments", "result"],
      numRuns: RUNS,
    });
    expect(report.lines).toBeGreaterThanOrEqual(100_000 * Math.min(1, RUNS / 25_000));
    console.info(`codex fuzz: ${report.runs} runs, ${report.lines} lines, ${report.events} events, largest ${report.largestEventChars} chars`);
  }, 300_000);
});
