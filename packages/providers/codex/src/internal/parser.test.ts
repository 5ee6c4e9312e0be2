import { payloadSchemas, type BackendEvent, type InvocationInput } from "@asm/contract";
import { feedTranscript, type Transcript } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { codexTranscript as loadTranscript, TRANSCRIPTS } from "../__fixtures__/codex-transcripts.js";
import { normalizeCodexOptions } from "./normalize-options.js";
import { createCodexParser, type CodexParserOptions } from "./parser.js";

type Event = BackendEvent & { payload: Record<string, unknown> };

/** A parser context with the options as the kernel hands them over (normalized). */
function contextFor(options: Record<string, unknown> = {}) {
  const input: InvocationInput = { prompt: "p", options: normalizeCodexOptions(options), maxArgvPromptBytes: 100_000 };
  return { provider: "codex", reply: () => undefined, input };
}

/** Replays a transcript the way the kernel does: stdout lines, the stderr, then the exit. */
function replay(transcript: Transcript, options: Record<string, unknown> = {}, overrides: CodexParserOptions = {}): Event[] {
  return feedTranscript(createCodexParser(contextFor(options), overrides), transcript);
}

const kinds = (events: Event[]) => events.map((event) => event.kind);
const only = (events: Event[], kind: string) => events.filter((event) => event.kind === kind);
const one = (events: Event[], kind: string): Record<string, unknown> => {
  const found = only(events, kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0]?.payload ?? {};
};

function outcomes(events: Event[]): Event[] {
  return events.filter((event) => event.kind === "result" || (event.kind === "error" && (event.payload.severity ?? "error") === "error"));
}

describe("createCodexParser on the recorded transcripts", () => {
  it.each(TRANSCRIPTS)("%s: payloads are valid, one outcome, the thread id on every event after thread.started", (name) => {
    const transcript = loadTranscript(name);
    const events = replay(transcript);
    for (const event of events) {
      const parsed = payloadSchemas[event.kind].safeParse(event.payload);
      expect(parsed.success, `${event.kind} payload: ${JSON.stringify(event.payload)}`).toBe(true);
    }
    expect(outcomes(events)).toHaveLength(1);
    const thread = /"thread_id":"([^"]+)"/.exec(transcript.stdout)?.[1];
    const firstSession = events.findIndex((event) => event.kind === "session_updated");
    if (thread !== undefined) {
      expect(firstSession).toBe(0);
      for (const event of events) expect(event.providerSessionId).toBe(thread);
    } else {
      expect(firstSession).toBe(-1);
    }
  });

  it("text: session, message, cumulative cost, result", () => {
    const events = replay(loadTranscript("text"), { model: "gpt-5.5" });
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "cost_update", "result"]);
    expect(one(events, "session_updated")).toEqual({ providerSessionId: "01a1fd5c-2693-74a3-b6cc-80e352fecafb" });
    expect(one(events, "assistant_message").content).toEqual([{ type: "text", text: "OK" }]);
    const cost = one(events, "cost_update");
    expect(cost).toMatchObject({ mode: "cumulative", inputTokens: 30, outputTokens: 5, totalTokens: 35, cacheReadInputTokens: 0 });
    expect(cost.costUsd).toBeCloseTo(30 * 5e-6 + 5 * 30e-6, 12);
    const result = one(events, "result");
    expect(result).toMatchObject({ status: "success", text: "OK", usage: { inputTokens: 30, outputTokens: 5 } });
    expect(result.costUsd).toBe(cost.costUsd);
    expect(result).not.toHaveProperty("structuredOutput");
    expect(events[0]?.raw).toEqual({ type: "thread.started", thread_id: "01a1fd5c-2693-74a3-b6cc-80e352fecafb" });
  });

  it("text: cost stays null when the model is unknown or unset", () => {
    expect(one(replay(loadTranscript("text")), "cost_update").costUsd).toBeNull();
    expect(one(replay(loadTranscript("text"), { model: "my-finetune" }), "result").costUsd).toBeNull();
  });

  it("tool: a Bash tool_use and its tool_result paired by item id", () => {
    const events = replay(loadTranscript("tool"));
    expect(kinds(events)).toEqual(["session_updated", "tool_use", "tool_result", "assistant_message", "cost_update", "result"]);
    expect(one(events, "tool_use")).toMatchObject({ toolName: "Bash", toolCallId: "item_0", input: { command: "/bin/bash -lc 'echo hi'" }, itemType: "command_execution" });
    expect(one(events, "tool_result")).toMatchObject({ toolCallId: "item_0", toolName: "Bash", content: "hi\n", isError: false, exitCode: 0, status: "completed" });
    expect(one(events, "result")).toMatchObject({ text: "The command printed: hi", usage: { inputTokens: 60, outputTokens: 10 } });
  });

  it("error-401: the error notice is a warning, turn.failed the terminal auth_error", () => {
    const events = replay(loadTranscript("error-401"));
    expect(kinds(events)).toEqual(["session_updated", "warning", "error"]);
    expect(one(events, "warning")).toMatchObject({ code: "provider_error", details: { classifiedAs: "auth_error" } });
    expect(one(events, "error")).toMatchObject({
      code: "auth_error",
      severity: "error",
      domain: "provider",
      retryable: false,
      message: expect.stringContaining("401 Unauthorized"),
    });
  });

  it("error-500: Codex's high-demand text is a retryable transport_error", () => {
    const events = replay(loadTranscript("error-500"));
    expect(kinds(events)).toEqual(["session_updated", "warning", "error"]);
    expect(one(events, "error")).toMatchObject({ code: "transport_error", retryable: true, message: expect.stringContaining("high demand") });
  });

  it("error-429: rate_limited, then a terminal rate_limit", () => {
    const events = replay(loadTranscript("error-429"));
    expect(kinds(events)).toEqual(["session_updated", "warning", "rate_limited", "error"]);
    expect(one(events, "error")).toMatchObject({ code: "rate_limit", retryable: true });
  });

  it("error-quota: rate_limited, then a terminal quota_exhausted", () => {
    const events = replay(loadTranscript("error-quota"));
    expect(kinds(events)).toEqual(["session_updated", "warning", "rate_limited", "error"]);
    expect(one(events, "error")).toMatchObject({ code: "quota_exhausted", retryable: false });
  });

  it("reconnect: a Reconnecting notice followed by success is a warning, not a failure", () => {
    const events = replay(loadTranscript("reconnect"));
    expect(kinds(events)).toEqual(["session_updated", "warning", "assistant_message", "cost_update", "result", "stderr"]);
    expect(one(events, "warning")).toMatchObject({ code: "reconnecting", details: { attempt: 1, maxAttempts: 2 } });
    expect(one(events, "result").text).toBe("OK after reconnect");
    expect(only(events, "stderr")).toHaveLength(1);
    expect(String(one(events, "stderr").content)).toContain("retrying sampling request");
  });

  it("items: reasoning, todo list and plan, file change, failed command, web search", () => {
    const events = replay(loadTranscript("items"), { model: "gpt-5.5" });
    expect(kinds(events)).toEqual([
      "session_updated",
      "thinking",
      "tool_use",
      "plan",
      "tool_use",
      "tool_result",
      "tool_use",
      "tool_result",
      "tool_use",
      "tool_result",
      "assistant_message",
      "tool_result",
      "cost_update",
      "result",
    ]);
    expect(one(events, "thinking")).toEqual({ content: "Planning the change" });
    const uses = only(events, "tool_use").map((event) => event.payload);
    expect(uses.map((use) => [use.toolName, use.toolCallId])).toEqual([
      ["TodoWrite", "item_1"],
      ["Edit", "item_2"],
      ["Bash", "item_3"],
      ["WebSearch", "ws_1"],
    ]);
    expect(uses[1]?.input).toMatchObject({ file_path: expect.stringMatching(/\/work\/hello\.txt$/), changes: [{ kind: "add" }] });
    expect(uses[3]?.input).toEqual({ query: "codex exec json events" });
    expect(one(events, "plan").entries).toEqual([
      { content: "Write hello.txt", status: "pending" },
      { content: "Check it", status: "pending" },
    ]);
    const results = only(events, "tool_result").map((event) => event.payload);
    expect(results.map((result) => [result.toolCallId, result.toolName, result.isError])).toEqual([
      ["item_2", "Edit", false],
      ["item_3", "Bash", true],
      ["ws_1", "WebSearch", false],
      ["item_1", "TodoWrite", false],
    ]);
    expect(results[1]).toMatchObject({ content: "cat: missing.txt: No such file or directory\n", exitCode: 1, status: "failed" });
    const cost = one(events, "cost_update");
    expect(cost).toMatchObject({ inputTokens: 110, cacheReadInputTokens: 40, outputTokens: 45, totalTokens: 195, reasoningOutputTokens: 8 });
    expect(cost.costUsd).toBeCloseTo(110 * 5e-6 + 40 * 0.5e-6 + 45 * 30e-6, 12);
  });

  it("structured: the final message is decoded when an output schema was requested", () => {
    const transcript = loadTranscript("structured");
    const withSchema = one(replay(transcript, { outputSchema: { type: "object" } }), "result");
    expect(withSchema.structuredOutput).toEqual({ answer: "OK", confidence: 0.9 });
    expect(withSchema.text).toBe('{"answer":"OK","confidence":0.9}');
    expect(one(replay(transcript), "result")).not.toHaveProperty("structuredOutput");
    expect(one(replay(transcript, {}, { outputSchema: true }), "result").structuredOutput).toEqual({ answer: "OK", confidence: 0.9 });
  });

  it("structured: a final message that is not JSON gives a warning and no structured output", () => {
    const events = replay(loadTranscript("text"), { outputSchema: { type: "object" } });
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "cost_update", "warning", "result"]);
    expect(one(events, "warning").code).toBe("structured_output_invalid");
    expect(one(events, "result")).not.toHaveProperty("structuredOutput");
  });

  it("oss-notice: Codex's error item is a warning; a local model has no cost", () => {
    const events = replay(loadTranscript("oss-notice"), { model: "gpt-oss:20b", providerBackend: "oss" });
    expect(kinds(events)).toEqual(["session_updated", "warning", "assistant_message", "cost_update", "result", "stderr"]);
    expect(one(events, "warning")).toMatchObject({ code: "provider_warning", message: expect.stringContaining("gpt-oss:20b") });
    expect(one(events, "result").costUsd).toBeNull();
  });

  it("resume: the usage is the thread's running total, reported as cumulative", () => {
    const events = replay(loadTranscript("resume"));
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "cost_update", "result"]);
    expect(one(events, "cost_update")).toMatchObject({ mode: "cumulative", inputTokens: 35, outputTokens: 9 });
  });

  it("no-git-check: empty stdout, the exit becomes config_invalid with a hint", () => {
    const events = replay(loadTranscript("no-git-check"));
    expect(kinds(events)).toEqual(["stderr", "error"]);
    expect(one(events, "stderr").content).toBe("Not inside a trusted directory and --skip-git-repo-check was not specified.\n");
    const error = one(events, "error");
    expect(error).toMatchObject({ code: "config_invalid", severity: "error", exitCode: 1, domain: "config" });
    expect(error.message).toContain("Not inside a trusted directory");
    expect(error.message).toContain("skipGitRepoCheck: true");
    expect(error.stderrTail).toContain("Reading additional input from stdin...");
  });

  it("interrupted: no turn outcome, the exit becomes transport_exit", () => {
    const events = replay(loadTranscript("interrupted"));
    expect(kinds(events)).toEqual(["session_updated", "error"]);
    expect(one(events, "error")).toMatchObject({ code: "transport_exit", exitCode: 1, message: "codex exited with code 1" });
  });
});

describe("createCodexParser edge cases", () => {
  const parser = () => createCodexParser(contextFor());

  it("turns a non-JSON line into a parse_error warning carrying the line", () => {
    const events = parser().line("not json at all") as Event[];
    expect(events).toEqual([
      expect.objectContaining({ kind: "error", payload: { message: "Codex printed a line that is not JSON", code: "parse_error", severity: "warning", details: { line: "not json at all" } } }),
    ]);
  });

  it("ignores blank lines", () => {
    expect(parser().line("   ")).toEqual([]);
  });

  it("passes unknown event types through as raw, marked so the runtime warns once per type", () => {
    const p = parser();
    const first = p.line('{"type":"turn.paused","reason":"x"}') as Event[];
    const other = p.line('{"type":"thread.archived"}') as Event[];
    expect(kinds(first)).toEqual(["raw"]);
    expect(first[0]).toMatchObject({ payload: { stream: "stdout", content: { type: "turn.paused", reason: "x" } }, metadata: { unknownType: "turn.paused" } });
    expect(other[0]?.metadata).toEqual({ unknownType: "thread.archived" });
    expect(p.line('{"reason":"no type"}')[0]?.metadata).toEqual({ unknownType: "(missing)" });
  });

  it("passes unknown item types through as raw with one schema_drift warning", () => {
    const p = parser();
    expect(kinds(p.line('{"type":"item.started","item":{"id":"item_0","type":"collab_call"}}') as Event[])).toEqual(["raw", "warning"]);
    expect(kinds(p.line('{"type":"item.completed","item":{"id":"item_0","type":"collab_call"}}') as Event[])).toEqual(["raw"]);
  });

  it("treats JSON that is not an object as raw", () => {
    expect(kinds(parser().line("[1,2]") as Event[])).toEqual(["raw", "warning"]);
  });

  it("maps an MCP tool call, with errors flagged", () => {
    const p = parser();
    const started = p.line(JSON.stringify({ type: "item.started", item: { id: "item_5", type: "mcp_tool_call", server: "docs", tool: "search", arguments: { q: "x" }, status: "in_progress" } })) as Event[];
    expect(started[0]?.payload).toMatchObject({ toolName: "docs.search", toolCallId: "item_5", input: { arguments: { q: "x" } } });
    const ok = p.line(JSON.stringify({ type: "item.completed", item: { id: "item_5", type: "mcp_tool_call", server: "docs", tool: "search", arguments: {}, result: { content: [{ type: "text", text: "found" }] }, status: "completed" } })) as Event[];
    expect(ok[0]?.payload).toMatchObject({ toolName: "docs.search", content: [{ type: "text", text: "found" }], isError: false });
    const failed = p.line(JSON.stringify({ type: "item.completed", item: { id: "item_6", type: "mcp_tool_call", server: "docs", tool: "search", arguments: {}, error: { message: "server down" }, status: "failed" } })) as Event[];
    expect(kinds(failed)).toEqual(["tool_use", "tool_result"]);
    expect(failed[1]?.payload).toMatchObject({ toolCallId: "item_6", content: "server down", isError: true });
  });

  it("updates the plan from item.updated and skips unchanged plans", () => {
    const p = parser();
    const list = (done: boolean) => JSON.stringify({ type: "item.updated", item: { id: "item_1", type: "todo_list", items: [{ text: "a", completed: done }] } });
    expect((p.line(list(false)) as Event[]).map((event) => event.payload.entries)).toEqual([[{ content: "a", status: "pending" }]]);
    expect(p.line(list(false))).toEqual([]);
    expect((p.line(list(true)) as Event[]).map((event) => event.payload.entries)).toEqual([[{ content: "a", status: "completed" }]]);
  });

  it("keeps the first outcome: turn.failed after turn.completed adds nothing", () => {
    const p = parser();
    p.line('{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"hi"}}');
    const done = p.line('{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":1}}') as Event[];
    expect(kinds(done)).toEqual(["cost_update", "result"]);
    expect(p.line('{"type":"turn.failed","error":{"message":"late"}}')).toEqual([]);
    expect(p.exit({ exitCode: 1, signal: null, stderrTail: "", outcomeSeen: true })).toEqual([]);
  });

  it("synthesizes the outcome from the exit: signal, clean exit without a turn, missing binary", () => {
    const signalled = parser().exit({ exitCode: null, signal: "SIGKILL", stderrTail: "", outcomeSeen: false }) as Event[];
    expect(signalled[0]?.payload).toMatchObject({ code: "transport_exit", message: "codex was terminated by SIGKILL", details: { signal: "SIGKILL" } });
    const clean = parser().exit({ exitCode: 0, signal: null, stderrTail: "", outcomeSeen: false }) as Event[];
    expect(clean[0]?.payload).toMatchObject({ code: "transport_exit", message: "codex exited without finishing its turn" });
    const missing = parser().exit({ exitCode: 127, signal: null, stderrTail: "sh: 1: codex: not found\n", outcomeSeen: false }) as Event[];
    expect(missing[0]?.payload).toMatchObject({ code: "cli_not_found", domain: "provider", message: expect.stringContaining("npm install -g @openai/codex") });
    const noCwd = parser().exit({ exitCode: 2, signal: null, stderrTail: "sh: 1: cd: /gone: No such file or directory\n", outcomeSeen: false }) as Event[];
    expect(noCwd[0]?.payload).toMatchObject({ code: "config_invalid", message: expect.stringContaining("working directory") });
  });

  it("classifies an exit from the last error notice when turn.failed never came", () => {
    const p = parser();
    p.line('{"type":"error","message":"unexpected status 403 Forbidden: denied"}');
    const events = p.exit({ exitCode: 1, signal: null, stderrTail: "", outcomeSeen: false }) as Event[];
    expect(events[0]?.payload).toMatchObject({ code: "auth_error", message: "codex exited with code 1: unexpected status 403 Forbidden: denied" });
  });

  it("drops Codex's stdin notice from stderr and keeps the rest", () => {
    const p = parser();
    expect(p.stderr("Reading additional input from stdin...\n")).toEqual([]);
    const events = p.stderr("Reading additional input from stdin...\nboom\n") as Event[];
    expect(events.map((event) => event.payload.content)).toEqual(["boom\n"]);
  });
});

describe("createCodexParser run options", () => {
  it("prices from the normalized options: on the Ollama surface a local model has no cost even under a priced id", () => {
    const events = replay(loadTranscript("text"), { ollama: true, model: "gpt-5.5" });
    expect(one(events, "cost_update").costUsd).toBeNull();
  });
});
