import { fuzzParser, fuzzRuns } from "@asm/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { recorded, RECORDED, synthetic, SYNTHETIC } from "../__fixtures__/amp-transcripts.js";
import { createAmpParser } from "./parser.js";

const RUNS = fuzzRuns(25_000);

describe("createAmpParser under hostile input", () => {
  it(`stays total and bounded over ${RUNS} runs of up to 8 hostile lines`, () => {
    const report = fuzzParser({
      createParser: () => createAmpParser({ provider: "amp", reply: () => undefined }),
      lines: [...RECORDED.flatMap((name) => recorded(name).lines), ...SYNTHETIC.flatMap((name) => synthetic(name).lines)],
      types: ["system", "assistant", "user", "result", "run_completed", "message_streamed", "text_delta", "thinking", "tool_call_started", "tool_use", "tool_call_completed", "tool_call_failed", "tool_result", "approval_requested", "approval_resolved", "token_usage_updated", "cost_update", "run_cancelled", "error", "error_occurred", "run_failed"],
      fields: ["subtype", "session_id", "thread_id", "message", "content", "usage", "tool_call_id", "tool_name", "input", "output", "approval_id", "decision", "reason", "error", "error_code", "error_kind", "severity", "result", "is_error", "status", "mcp_servers", "parent_tool_use_id", "stop_reason", "id", "name"],
      numRuns: RUNS,
    });
    expect(report.lines).toBeGreaterThanOrEqual(100_000 * Math.min(1, RUNS / 25_000));
    console.info(`amp fuzz: ${report.runs} runs, ${report.lines} lines, ${report.events} events, largest ${report.largestEventChars} chars`);
  }, 300_000);
});
