import { fuzzParser, fuzzRuns } from "@asm/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { claudeTranscript, claudeTranscriptNames } from "../__fixtures__/replay.js";
import { CLAUDE_KNOWN_EVENT_TYPES, createClaudeParser } from "./parser.js";

const RUNS = fuzzRuns(25_000);
const LINES = (["transcripts", "recorded"] as const).flatMap((dir) => claudeTranscriptNames(dir).flatMap((name) => claudeTranscript(dir, name).lines));

describe("createClaudeParser under hostile input", () => {
  it(`stays total and bounded over ${RUNS} runs of up to 8 hostile lines`, () => {
    const report = fuzzParser({
      createParser: () => createClaudeParser({ provider: "claude", reply: () => undefined }),
      lines: LINES,
      types: [...CLAUDE_KNOWN_EVENT_TYPES],
      fields: ["subtype", "session_id", "message", "event", "usage", "result", "is_error", "total_cost_usd", "num_turns", "duration_ms", "request", "request_id", "response", "model", "tools", "mcp_servers", "permission_denials", "errors", "parent_tool_use_id", "uuid", "rate_limit_info", "structured_output", "stop_reason"],
      numRuns: RUNS,
    });
    expect(report.lines).toBeGreaterThanOrEqual(100_000 * Math.min(1, RUNS / 25_000));
    console.info(`claude fuzz: ${report.runs} runs, ${report.lines} lines, ${report.events} events, largest ${report.largestEventChars} chars`);
  }, 300_000);
});

describe("createClaudeParser state", () => {
  it("keeps a bounded number of unanswered approvals however many the CLI asks for", () => {
    const parser = createClaudeParser({ provider: "claude", reply: () => undefined });
    const asked = 25_000;
    for (let index = 0; index < asked; index += 1) {
      parser.line(JSON.stringify({ type: "control_request", request_id: `req-${index}`, request: { subtype: "can_use_tool", tool_name: "Bash", input: {} } }));
    }
    const cancelled = parser.exit({ exitCode: 1, signal: null, stderrTail: "", outcomeSeen: false }).filter((event) => event.kind === "approval_resolved");
    expect(cancelled.length).toBe(10_000);
    // The newest are the ones kept.
    expect((cancelled.at(-1)!.payload as { approvalId: string }).approvalId).toBe(`req-${asked - 1}`);
  });
});
