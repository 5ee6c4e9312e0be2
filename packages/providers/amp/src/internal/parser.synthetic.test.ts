import { isOutcomeEvent, type BackendEvent } from "@asm/contract";
import { expectValidPayloads } from "@asm/testkit/assertions";
import { feedTranscript } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { synthetic } from "../__fixtures__/amp-transcripts.js";
import { createAmpParser } from "./parser.js";

// Hand-built streams modelled on @sourcegraph/amp-sdk's message types (see
// __fixtures__/synthetic/README.md): they test the mapping, not Amp's real output.

// Each stream exits with the code in its `.exit` file.
const run = (name: string): BackendEvent[] => {
  const events = feedTranscript(createAmpParser(), synthetic(name));
  expectValidPayloads(events);
  expect(events.filter(isOutcomeEvent)).toHaveLength(1);
  return events;
};
const kinds = (events: BackendEvent[]): string[] => events.map((event) => event.kind);
const of = <K extends BackendEvent["kind"]>(events: BackendEvent[], kind: K) =>
  events.filter((event): event is Extract<BackendEvent, { kind: K }> => event.kind === kind);

describe("Amp parser on synthetic Claude-compatible streams", () => {
  it("text: init → session, text message, cumulative usage, result", () => {
    const events = run("text");
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "cost_update", "result"]);
    const sessionId = "T-00000000-0000-4000-8000-5e0000000001";
    expect(events.every((event) => event.providerSessionId === sessionId)).toBe(true);
    expect(events[0]?.payload).toEqual({
      providerSessionId: sessionId,
      cwd: "/workspace/project",
      tools: ["Bash", "Read", "edit_file", "create_file", "Grep", "glob", "Task"],
    });
    expect(events[1]?.payload).toEqual({ content: [{ type: "text", text: "OK" }], model: "synthetic-model" });
    expect(events[2]?.payload).toEqual({
      inputTokens: 1200,
      outputTokens: 3,
      totalTokens: 1203,
      cacheReadInputTokens: 800,
      cacheCreationInputTokens: 0,
      costUsd: null,
      mode: "cumulative",
    });
    expect(events[3]?.payload).toEqual({
      status: "success",
      text: "OK",
      stopReason: "end_turn",
      usage: { inputTokens: 1200, outputTokens: 3, cacheReadInputTokens: 800, cacheCreationInputTokens: 0 },
      costUsd: null,
      numTurns: 1,
      durationMs: 2350,
      subtype: "success",
      permissionDenials: [],
    });
  });

  it("tool: blocks split into messages, tool calls and results; subagent calls keep their parent", () => {
    const events = run("tool");
    expect(kinds(events)).toEqual([
      "session_updated",
      "warning",
      "assistant_message",
      "tool_use",
      "tool_result",
      "tool_use",
      "tool_use",
      "tool_result",
      "tool_result",
      "assistant_message",
      "cost_update",
      "result",
    ]);
    expect(events[1]?.payload).toMatchObject({
      code: "mcp_server_unavailable",
      details: { name: "tracker", status: "failed" },
    });
    expect(events[0]?.payload).toMatchObject({
      mcpServers: [
        { name: "filesystem", status: "connected" },
        { name: "tracker", status: "failed" },
      ],
    });
    expect(of(events, "tool_use").map((event) => event.payload)).toEqual([
      { toolName: "Bash", toolKind: "shell", toolCallId: "toolu_syn_01", input: { cmd: "echo hi" } },
      { toolName: "Task", toolKind: "other", toolCallId: "toolu_syn_02", input: { prompt: "Check the exit status of false" } },
      { toolName: "Bash", toolKind: "shell", toolCallId: "toolu_syn_03", input: { cmd: "false" } },
    ]);
    expect(of(events, "tool_result").map((event) => event.payload)).toEqual([
      { toolCallId: "toolu_syn_01", toolName: "Bash", content: "hi\n", isError: false },
      { toolCallId: "toolu_syn_03", toolName: "Bash", content: "exit status 1", isError: true },
      { toolCallId: "toolu_syn_02", toolName: "Task", content: "false exits with status 1", isError: false },
    ]);
    expect(events[6]?.metadata).toEqual({ parentToolUseId: "toolu_syn_02" });
    expect(events[7]?.metadata).toEqual({ parentToolUseId: "toolu_syn_02" });
    expect(events[5]?.metadata).toBeUndefined();
    expect(of(events, "assistant_message").map((event) => event.payload.content)).toEqual([
      [{ type: "text", text: "I will run a command." }],
      [{ type: "text", text: "The command printed: hi" }],
    ]);
    // The result's usage (the run's totals) wins over the per-message counts.
    expect(events[10]?.payload).toMatchObject({ inputTokens: 5700, outputTokens: 98, mode: "cumulative" });
    expect(events[11]?.payload).toMatchObject({ text: "The command printed: hi", numTurns: 3, stopReason: "end_turn" });
  });

  it("thinking: thinking block becomes a thinking event with its signature", () => {
    const events = run("thinking");
    expect(kinds(events)).toEqual(["session_updated", "thinking", "assistant_message", "cost_update", "result"]);
    expect(events[1]?.payload).toEqual({ content: "The user wants the word OK.", signature: "sig-synthetic" });
  });

  it("error-result: is_error result becomes the terminal error, with denials; no result", () => {
    const events = run("error-result");
    expect(kinds(events)).toEqual(["session_updated", "tool_use", "tool_result", "cost_update", "error"]);
    expect(events[2]?.payload).toMatchObject({ toolName: "Bash", isError: true });
    expect(events[4]?.payload).toEqual({
      code: "unknown",
      severity: "error",
      domain: "runtime",
      retryable: false,
      message: "Tool call rejected: Bash (git push)",
      details: { numTurns: 1, durationMs: 3020, subtype: "error_during_execution", permissionDenials: ["Bash"] },
    });
  });

  it("error-max-turns: terminal error; usage summed from the messages when the result has none", () => {
    const events = run("error-max-turns");
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "assistant_message", "cost_update", "error"]);
    expect(events[3]?.payload).toEqual({
      inputTokens: 4100,
      outputTokens: 24,
      totalTokens: 4124,
      cacheReadInputTokens: 3000,
      cacheCreationInputTokens: 0,
      costUsd: null,
      mode: "cumulative",
    });
    expect(events[4]?.payload).toMatchObject({
      code: "unknown",
      message: "Maximum number of turns reached",
      details: { subtype: "error_max_turns", numTurns: 50 },
    });
  });
});

describe("Amp parser on synthetic streams with the older event names", () => {
  it("legacy: deltas, message, tool lifecycle, approvals, usage, run_completed", () => {
    const events = run("legacy");
    expect(kinds(events)).toEqual([
      "session_updated",
      "assistant_delta",
      "assistant_delta",
      "assistant_message",
      "tool_use",
      "tool_result",
      "tool_use",
      "tool_result",
      "approval_requested",
      "approval_resolved",
      "cost_update",
      "result",
    ]);
    expect(events.every((event) => event.providerSessionId === "amp-legacy-1")).toBe(true);
    expect(of(events, "assistant_delta").map((event) => event.payload.content).join("")).toBe("Hello");
    expect(events[3]?.payload).toEqual({ content: [{ type: "text", text: "Hello" }], model: "legacy-model" });
    expect(of(events, "tool_result").map((event) => event.payload)).toEqual([
      { toolCallId: "call-1", toolName: "bash", content: "README.md", isError: false },
      { toolCallId: "call-2", toolName: "edit_file", content: "file not found", isError: true },
    ]);
    expect(events[8]?.payload).toEqual({ approvalId: "appr-1", subject: "bash", details: { toolInput: { cmd: "rm -rf build" } } });
    expect(events[9]?.payload).toEqual({ approvalId: "appr-1", decision: "allow" });
    expect(events[10]?.payload).toMatchObject({ inputTokens: 10, outputTokens: 5, costUsd: 0.0001, mode: "cumulative" });
    expect(events[11]?.payload).toEqual({ status: "success", text: "Hello", stopReason: "end_turn", costUsd: null, durationMs: 120 });
  });

  it("legacy-failed: a warning-severity error does not end the run; run_failed does, classified", () => {
    const events = run("legacy-failed");
    expect(kinds(events)).toEqual(["session_updated", "assistant_delta", "error", "error"]);
    expect(events[2]?.payload).toEqual({ code: "unknown", severity: "warning", message: "Retrying after a transient error" });
    expect(events[3]?.payload).toMatchObject({ code: "rate_limit", severity: "error", retryable: true });
  });

  it("legacy-cancelled: run_cancelled is the terminal user_cancelled error", () => {
    const events = run("legacy-cancelled");
    expect(kinds(events)).toEqual(["session_updated", "assistant_delta", "error"]);
    expect(events[2]?.payload).toMatchObject({ code: "user_cancelled", severity: "error", message: "Run cancelled" });
  });
});
