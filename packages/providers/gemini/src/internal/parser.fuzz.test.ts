import { fuzzParser, fuzzRuns } from "@asm/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { geminiTranscript, TRANSCRIPTS } from "../__fixtures__/gemini-transcripts.js";
import { createGeminiParser } from "./parser.js";

const RUNS = fuzzRuns(25_000);

describe("createGeminiParser under hostile input", () => {
  it(`stays total and bounded over ${RUNS} runs of up to 8 hostile lines`, () => {
    const report = fuzzParser({
      createParser: () => createGeminiParser({ provider: "gemini", reply: () => undefined }),
      lines: TRANSCRIPTS.flatMap((name) => geminiTranscript(name).lines),
      types: ["init", "message", "tool_use", "tool_result", "error", "result"],
      fields: ["session_id", "model", "role", "content", "delta", "tool_name", "tool_id", "parameters", "status", "output", "error", "type", "message", "severity", "stats", "timestamp"],
      numRuns: RUNS,
    });
    expect(report.lines).toBeGreaterThanOrEqual(100_000 * Math.min(1, RUNS / 25_000));
    console.info(`gemini fuzz: ${report.runs} runs, ${report.lines} lines, ${report.events} events, largest ${report.largestEventChars} chars`);
  }, 300_000);
});
