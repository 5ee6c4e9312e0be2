import { isOutcomeEvent, payloadSchemas, type BackendEvent } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { exitInfoOf } from "@asm/testkit";
import { geminiTranscript as loadTranscript, TRANSCRIPTS } from "../__fixtures__/gemini-transcripts.js";
import { createGeminiParser } from "./parser.js";

const context = { provider: "gemini", reply: () => undefined };

function replay(name: string): { events: BackendEvent[]; exitEvents: BackendEvent[] } {
  const transcript = loadTranscript(name);
  const parser = createGeminiParser(context);
  const events = transcript.lines.flatMap((line) => parser.line(line));
  const exitEvents = parser.exit(exitInfoOf(transcript));
  return { events, exitEvents };
}

function kinds(events: BackendEvent[]): string[] {
  return events.map((event) => event.kind);
}

function only<K extends BackendEvent["kind"]>(events: BackendEvent[], kind: K): Extract<BackendEvent, { kind: K }> {
  const found = events.filter((event): event is Extract<BackendEvent, { kind: K }> => event.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Extract<BackendEvent, { kind: K }>;
}

describe("createGeminiParser on recorded transcripts", () => {
  it.each(TRANSCRIPTS)("%s: valid payloads, one outcome, session id on every event after init", (name) => {
    const { events, exitEvents } = replay(name);
    const all = [...events, ...exitEvents];
    for (const event of all) expect(() => payloadSchemas[event.kind].parse(event.payload)).not.toThrow();
    expect(all.filter((event) => isOutcomeEvent(event))).toHaveLength(1);
    const initIndex = all.findIndex((event) => event.kind === "session_updated");
    if (initIndex >= 0) {
      const id = all[initIndex]?.providerSessionId;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      for (const event of all.slice(initIndex)) expect(event.providerSessionId).toBe(id);
    }
  });

  it("text: session_updated (no prompt echo), delta, cost, result", () => {
    const { events, exitEvents } = replay("text");
    expect(kinds(events)).toEqual(["session_updated", "assistant_delta", "cost_update", "result"]);
    expect(exitEvents).toEqual([]);
    expect(events[0]?.payload).toEqual({ providerSessionId: "46d49b4e-3fcd-47d1-8d60-9b07a22fa20e", model: "gemini-2.5-flash" });
    expect(events.some((event) => event.kind === "user_message")).toBe(false);
    expect(events[1]?.payload).toMatchObject({ content: "OK" });
    const cost = only(events, "cost_update").payload;
    expect(cost).toMatchObject({ inputTokens: 25, outputTokens: 3, totalTokens: 28, cacheReadInputTokens: 0, mode: "cumulative" });
    // gemini-2.5-flash: $0.30 in, $2.50 out per million tokens.
    expect(cost.costUsd).toBeCloseTo(25 * 0.3e-6 + 3 * 2.5e-6, 12);
    const result = only(events, "result").payload;
    expect(result).toMatchObject({ status: "success", text: "OK", usage: { inputTokens: 25, outputTokens: 3 }, durationMs: 55 });
    expect(events[3]?.raw).toMatchObject({ type: "result", status: "success" });
  });

  it("tool: tool_use with parameters, tool_result linked by id, final answer only in result text", () => {
    const { events } = replay("tool");
    expect(kinds(events)).toEqual([
      "session_updated",
      "assistant_delta",
      "tool_use",
      "tool_result",
      "assistant_delta",
      "cost_update",
      "result",
    ]);
    const toolUse = only(events, "tool_use").payload;
    expect(toolUse).toEqual({
      toolName: "run_shell_command",
      toolKind: "shell",
      toolCallId: "run_shell_command__run_shell_command_1795252043787_0",
      input: { command: "echo hi", description: "Print hi" },
    });
    expect(only(events, "tool_result").payload).toEqual({
      toolCallId: "run_shell_command__run_shell_command_1795252043787_0",
      toolName: "run_shell_command",
      content: "hi",
      isError: false,
    });
    expect(only(events, "result").payload).toMatchObject({ text: "The command printed: hi", toolCalls: 1 });
    expect(only(events, "cost_update").payload).toMatchObject({ inputTokens: 50, outputTokens: 6 });
  });

  it("tool-denied: a tool_result with status error is flagged and keeps the error", () => {
    const { events } = replay("tool-denied");
    const toolResult = only(events, "tool_result").payload;
    expect(toolResult.isError).toBe(true);
    expect(toolResult).toMatchObject({ toolName: "run_shell_command", error: { type: "tool_not_registered" } });
    expect(String(toolResult.content)).toContain('Tool "run_shell_command" not found');
    expect(only(events, "result").payload).toMatchObject({ text: "The tool failed." });
  });

  it("error-401: the result error becomes a terminal auth_error with the HTTP status", () => {
    const { events, exitEvents } = replay("error-401");
    expect(kinds(events)).toEqual(["session_updated", "cost_update", "error"]);
    expect(exitEvents).toEqual([]);
    const error = only(events, "error").payload;
    expect(error).toMatchObject({ code: "auth_error", severity: "error", details: { httpStatus: 401, rpcStatus: "UNAUTHENTICATED" } });
    expect(error.message).toContain("API key not valid");
    expect(only(events, "cost_update").payload).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it("error-500: the result error becomes a terminal transport_error", () => {
    const { events } = replay("error-500");
    expect(only(events, "error").payload).toMatchObject({ code: "transport_error", severity: "error", details: { httpStatus: 500 } });
  });

  it("error-429: the CLI's rate-limit advice (no status in the message) means rate_limit", () => {
    const { events } = replay("error-429");
    expect(only(events, "error").payload).toMatchObject({ code: "rate_limit", severity: "error", details: { httpStatus: 429 } });
  });

  it("connection-refused: fetch failed becomes connection_failed", () => {
    const { events } = replay("connection-refused");
    expect(only(events, "error").payload).toMatchObject({ code: "connection_failed", severity: "error" });
  });

  it("resume: the resumed session keeps the original session id", () => {
    const { events } = replay("resume");
    const text = replay("text").events[0]?.providerSessionId;
    expect(events[0]?.providerSessionId).toBe(text);
    expect(only(events, "result").payload).toMatchObject({ text: "OK, resumed (I see 3 contents)" });
  });

  it("no-api-key: empty stdout, exit 41 → auth_error from exit and stderr", () => {
    const { events, exitEvents } = replay("no-api-key");
    expect(events).toEqual([]);
    const error = only(exitEvents, "error").payload;
    expect(error).toMatchObject({ code: "auth_error", severity: "error", exitCode: 41 });
    expect(error.message).toContain("GEMINI_API_KEY");
    expect(error.stderrTail).toContain("must specify the GEMINI_API_KEY");
  });

  it("untrusted-folder: exit 55 → config_invalid naming the option to set", () => {
    const error = only(replay("untrusted-folder").exitEvents, "error").payload;
    expect(error).toMatchObject({ code: "config_invalid", exitCode: 55 });
    expect(error.message).toContain("skipTrust");
  });

  it("resume-unknown: exit 42 with an unknown session → not_found", () => {
    const error = only(replay("resume-unknown").exitEvents, "error").payload;
    expect(error).toMatchObject({ code: "not_found", exitCode: 42 });
    expect(error.message).toContain("Invalid session identifier");
  });

  it("interrupted: exit 0 without a result → user_cancelled", () => {
    const { events, exitEvents } = replay("interrupted");
    expect(kinds(events)).toEqual(["session_updated"]);
    expect(only(exitEvents, "error").payload).toMatchObject({ code: "user_cancelled", severity: "error", exitCode: 0 });
  });
});

describe("createGeminiParser on synthetic lines", () => {
  it("maps a non-delta assistant message to assistant_message with the model", () => {
    const parser = createGeminiParser(context);
    parser.line('{"type":"init","session_id":"s-1","model":"gemini-2.5-pro"}');
    const [event] = parser.line('{"type":"message","role":"assistant","content":"Whole answer"}');
    expect(event).toMatchObject({
      kind: "assistant_message",
      providerSessionId: "s-1",
      payload: { content: [{ type: "text", text: "Whole answer" }], role: "assistant", model: "gemini-2.5-pro" },
    });
  });

  it("reports a non-JSON line as a parse_error warning carrying the line", () => {
    const parser = createGeminiParser(context);
    expect(parser.line("Loaded cached credentials.")).toEqual([
      expect.objectContaining({
        kind: "error",
        payload: expect.objectContaining({ code: "parse_error", severity: "warning", details: { line: "Loaded cached credentials." } }),
      }),
    ]);
  });

  it("passes unknown event types through as raw, marked so the runtime warns once per type", () => {
    const parser = createGeminiParser(context);
    const first = parser.line('{"type":"thought","content":"hmm"}');
    expect(kinds(first)).toEqual(["raw"]);
    expect(first[0]?.metadata).toEqual({ unknownType: "thought" });
    // Names of Object.prototype members are unknown types too, never handlers.
    expect(parser.line('{"type":"constructor"}')[0]?.metadata).toEqual({ unknownType: "constructor" });
  });

  it("turns JSON that is not an object into raw, with one schema_drift warning", () => {
    const parser = createGeminiParser(context);
    const events = parser.line("[1,2]");
    expect(events[0]).toMatchObject({ kind: "raw", payload: { stream: "stdout", content: [1, 2] } });
    expect(events[1]?.payload).toMatchObject({ code: "schema_drift" });
    expect(kinds(parser.line("3"))).toEqual(["raw"]);
  });

  it("classifies a result whose error type names an Object.prototype member by its message", () => {
    const parser = createGeminiParser(context);
    const events = parser.line('{"type":"result","status":"error","error":{"type":"constructor","message":"Request failed with status 429"}}');
    const error = events.find((event) => event.kind === "error");
    expect(error?.payload).toMatchObject({ code: "rate_limit", severity: "error" });
  });

  it("keeps native error events non-terminal and uses the last one for a result without an error body", () => {
    const parser = createGeminiParser(context);
    const warning = parser.line('{"type":"error","severity":"warning","message":"Loop detected, stopping execution"}');
    expect(warning[0]?.payload).toMatchObject({ severity: "warning", details: { nativeSeverity: "warning" } });
    parser.line('{"type":"error","severity":"error","message":"Maximum session turns exceeded"}');
    const outcome = parser.line('{"type":"result","status":"error","stats":{"total_tokens":0,"input_tokens":0,"output_tokens":0}}');
    expect(outcome.filter((event) => isOutcomeEvent(event))).toEqual([
      expect.objectContaining({ kind: "error", payload: expect.objectContaining({ message: "Maximum session turns exceeded", severity: "error" }) }),
    ]);
  });

  it("classifies the CLI's fatal error types from a result", () => {
    const cases: Array<[string, string]> = [
      ["FatalCancellationError", "user_cancelled"],
      ["FatalAuthenticationError", "auth_error"],
      ["FatalToolExecutionError", "tool_failed"],
      ["FatalTurnLimitedError", "guardrail_blocked"],
      ["FatalConfigError", "config_invalid"],
    ];
    for (const [type, code] of cases) {
      const parser = createGeminiParser(context);
      const events = parser.line(JSON.stringify({ type: "result", status: "error", error: { type, message: "stopped" } }));
      expect(events.map((event) => event.payload)).toEqual([expect.objectContaining({ code, severity: "error" })]);
    }
  });

  it("classifies a 429 from the API as rate_limit", () => {
    const parser = createGeminiParser(context);
    const message = '[API Error: {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]';
    const events = parser.line(JSON.stringify({ type: "result", status: "error", error: { type: "unknown", message } }));
    expect(events[0]?.payload).toMatchObject({ code: "rate_limit", details: { httpStatus: 429 } });
  });

  it("prices usage per model, counts thinking as output, and leaves unknown models unpriced", () => {
    const parser = createGeminiParser(context);
    const stats = {
      total_tokens: 1120,
      input_tokens: 1000,
      output_tokens: 100,
      cached: 400,
      input: 600,
      models: { "gemini-2.5-pro": { total_tokens: 1120, input_tokens: 1000, output_tokens: 100, cached: 400, input: 600 } },
    };
    const [cost] = parser.line(JSON.stringify({ type: "result", status: "success", stats }));
    expect(cost?.payload).toMatchObject({ inputTokens: 600, cacheReadInputTokens: 400, outputTokens: 100, totalTokens: 1120, thoughtsTokens: 20 });
    const expected = 600 * 1.25e-6 + 400 * 0.125e-6 + 120 * 10e-6;
    expect((cost?.payload as { costUsd: number }).costUsd).toBeCloseTo(expected, 12);

    const unpriced = createGeminiParser(context);
    const [unknownCost] = unpriced.line(
      JSON.stringify({ type: "result", status: "success", stats: { ...stats, models: { "gemini-9-ultra": stats.models["gemini-2.5-pro"] } } }),
    );
    expect(unknownCost?.payload).toMatchObject({ costUsd: null });
  });

  it("does not emit a second outcome for a repeated result or after exit", () => {
    const parser = createGeminiParser(context);
    const first = parser.line('{"type":"result","status":"success"}');
    const second = parser.line('{"type":"result","status":"success"}');
    expect(first.filter((event) => isOutcomeEvent(event))).toHaveLength(1);
    expect(second.filter((event) => isOutcomeEvent(event))).toHaveLength(0);
    expect(parser.exit({ exitCode: 1, signal: null, stderrTail: "boom", outcomeSeen: true })).toEqual([]);
  });

  it("classifies exits by signal and by HTTP status modulo 256", () => {
    const exitWith = (exitCode: number | null, signal: string | null, stderrTail = ""): unknown =>
      createGeminiParser(context).exit({ exitCode, signal, stderrTail, outcomeSeen: false })[0]?.payload;
    expect(exitWith(null, "SIGINT")).toMatchObject({ code: "user_cancelled" });
    expect(exitWith(null, "SIGKILL")).toMatchObject({ code: "transport_exit", details: { signal: "SIGKILL" } });
    expect(exitWith(130, null)).toMatchObject({ code: "user_cancelled" });
    expect(exitWith(145, null)).toMatchObject({ code: "auth_error", details: { httpStatus: 401 } });
    expect(exitWith(173, null)).toMatchObject({ code: "rate_limit", details: { httpStatus: 429 } });
    expect(exitWith(173, null, "TerminalQuotaError: You have exhausted your daily quota")).toMatchObject({ code: "quota_exhausted" });
    expect(exitWith(173, null, loadTranscript("error-429").stderr)).toMatchObject({ code: "rate_limit" });
    expect(exitWith(244, null)).toMatchObject({ code: "transport_error", details: { httpStatus: 500 } });
    expect(exitWith(54, null)).toMatchObject({ code: "tool_failed" });
    expect(exitWith(1, null, "Something odd happened")).toMatchObject({ code: "transport_exit", message: expect.stringContaining("Something odd happened") });
    expect(exitWith(127, null, "sh: gemini: not found")).toMatchObject({ code: "cli_not_found" });
    expect(exitWith(1, null, "Error: Invalid auth method selected.")).toMatchObject({ code: "auth_error" });
  });

  it("emits stderr chunks as stderr events", () => {
    const parser = createGeminiParser(context);
    expect(parser.stderr("Ripgrep is not available.\n")).toEqual([
      expect.objectContaining({ kind: "stderr", payload: { content: "Ripgrep is not available.\n" } }),
    ]);
    expect(parser.stderr("")).toEqual([]);
  });
});
