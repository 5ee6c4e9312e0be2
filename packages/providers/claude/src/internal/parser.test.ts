import type { BackendEvent, ExitInfo } from "@asm/contract";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kindsOf, ofKind } from "../__fixtures__/replay.js";
import { createClaudeParser } from "./parser.js";

function setup(reply: (line: string) => void = () => {}) {
  const replies: string[] = [];
  const parser = createClaudeParser({
    provider: "claude",
    reply: (line) => {
      replies.push(line);
      reply(line);
    },
  });
  const feed = (...lines: unknown[]): BackendEvent[] =>
    lines.flatMap((line) => parser.line(typeof line === "string" ? line : JSON.stringify(line)));
  return { parser, feed, replies };
}

const exitInfo = (overrides: Partial<ExitInfo> = {}): ExitInfo => ({
  exitCode: 1,
  signal: null,
  stderrTail: "",
  outcomeSeen: false,
  ...overrides,
});

const init = { type: "system", subtype: "init", session_id: "s-1", model: "claude-sonnet-5-5", cwd: "/w", tools: ["Bash"] };

function resultLine(fields: Record<string, unknown>) {
  return { type: "result", subtype: "success", is_error: false, session_id: "s-1", ...fields };
}

describe("lines that are not stream-json events", () => {
  it("a non-JSON line is a parse_error warning carrying the line", () => {
    const events = setup().feed("Loading settings…");
    expect(events).toEqual([
      {
        kind: "error",
        payload: {
          message: "Claude Code printed a line that is not JSON",
          code: "parse_error",
          severity: "warning",
          details: { line: "Loading settings…" },
        },
        raw: "Loading settings…",
      },
    ]);
  });

  it("blank lines produce nothing; JSON that is not an object is raw, with one schema_drift warning", () => {
    const { feed } = setup();
    expect(feed("", "   ")).toEqual([]);
    const events = feed("[1,2]", "42");
    expect(kindsOf(events)).toBe("raw warning:schema_drift raw");
    expect(events.filter((event) => event.kind === "raw").map((event) => event.payload)).toEqual([
      { stream: "stdout", content: [1, 2] },
      { stream: "stdout", content: 42 },
    ]);
  });

  it("an unknown type passes through raw, tagged so the kernel can raise its schema_drift warning", () => {
    const { feed } = setup();
    const events = feed({ type: "hologram", a: 1 }, { type: "teleport" }, {});
    expect(kindsOf(events)).toBe("raw raw raw");
    expect(events.map((event) => event.metadata)).toEqual([
      { unknownType: "hologram" },
      { unknownType: "teleport" },
      { unknownType: "(missing)" },
    ]);
    expect(events[0]?.payload).toEqual({ stream: "stdout", content: { type: "hologram", a: 1 } });
  });

  it("known but unmodelled types and system subtypes are raw without drift warnings; keep_alive is dropped", () => {
    const { feed } = setup();
    const events = feed(
      { type: "tool_progress" },
      { type: "prompt_suggestion" },
      { type: "system", subtype: "compact_boundary" },
      { type: "keep_alive" },
    );
    expect(kindsOf(events)).toBe("raw raw raw");
    expect(events.every((event) => event.metadata === undefined)).toBe(true);
  });
});

describe("init details", () => {
  it("carries whether the sandbox is on when init says so (Claude Code 2.1.332 and later), and nothing when it does not", () => {
    const on = setup().feed({ ...init, sandbox_enabled: true });
    const off = setup().feed({ ...init, sandbox_enabled: false });
    const older = setup().feed(init);
    const odd = setup().feed({ ...init, sandbox_enabled: "yes" });
    expect(ofKind(on, "session_updated")[0]?.payload["sandboxEnabled"]).toBe(true);
    expect(ofKind(off, "session_updated")[0]?.payload["sandboxEnabled"]).toBe(false);
    expect(ofKind(older, "session_updated")[0]?.payload).not.toHaveProperty("sandboxEnabled");
    expect(ofKind(odd, "session_updated")[0]?.payload).not.toHaveProperty("sandboxEnabled");
  });
});

describe("session id", () => {
  it("the init line announces the id as session_updated; a new id later is another; every later event carries it", () => {
    const { feed } = setup();
    const events = feed(init, { ...init, session_id: "s-2" }, resultLine({ session_id: "s-2", result: "ok" }));
    expect(kindsOf(events)).toBe("session_updated session_updated raw result");
    expect(events.map((event) => event.providerSessionId)).toEqual(["s-1", "s-2", "s-2", "s-2"]);
  });

  it("events before the id is known carry none", () => {
    const { feed, parser } = setup();
    const [first] = feed({ type: "control_response", response: { subtype: "success", request_id: "asm_initialize", response: {} } });
    expect(first?.providerSessionId).toBeUndefined();
    expect(parser.stderr("warn\n")).toEqual([{ kind: "stderr", payload: { content: "warn\n" }, raw: "warn\n" }]);
    expect(parser.stderr("")).toEqual([]);
  });
});

describe("assistant and user content", () => {
  it("maps thinking, redacted thinking, tool calls and other blocks one event each", () => {
    const { feed } = setup();
    const events = feed(init, {
      type: "assistant",
      session_id: "s-1",
      parent_tool_use_id: "toolu_parent",
      message: {
        id: "msg_1",
        model: "claude-sonnet-5-5",
        content: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "redacted_thinking", data: "xxx" },
          { type: "server_tool_use", id: "srv_1", name: "web_search", input: { query: "q" } },
          { type: "image", source: {} },
          "not a block",
        ],
      },
    });
    expect(kindsOf(events)).toBe("session_updated thinking thinking tool_use assistant_message");
    expect(events.slice(1).map((event) => event.payload)).toEqual([
      { content: "hmm", signature: "sig", messageId: "msg_1", parentToolUseId: "toolu_parent" },
      { content: "", redacted: true, messageId: "msg_1", parentToolUseId: "toolu_parent" },
      { toolName: "web_search", toolKind: "web", toolCallId: "srv_1", input: { query: "q" }, messageId: "msg_1", parentToolUseId: "toolu_parent" },
      { content: [{ type: "image", source: {} }], model: "claude-sonnet-5-5", messageId: "msg_1", parentToolUseId: "toolu_parent" },
    ]);
  });

  it("string content and empty content are still assistant messages", () => {
    const { feed } = setup();
    const events = feed(
      { type: "assistant", message: { id: "m", content: "plain" } },
      { type: "assistant", message: { id: "m2", content: [] } },
    );
    expect(events.map((event) => event.payload)).toEqual([
      { content: [{ type: "text", text: "plain" }], messageId: "m" },
      { content: [], messageId: "m2" },
    ]);
  });

  it("tool results join text blocks, keep other content, and flag errors", () => {
    const { feed } = setup();
    const events = feed(
      { type: "assistant", message: { id: "m", content: [{ type: "tool_use", id: "t1", name: "Read", input: {} }] } },
      {
        type: "user",
        message: {
          content: [
            { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
            { type: "tool_result", tool_use_id: "t2", content: [{ type: "image" }], is_error: true },
            { type: "text", text: "note" },
          ],
        },
      },
    );
    expect(events.slice(1).map((event) => [event.kind, event.payload])).toEqual([
      ["tool_result", { toolCallId: "t1", toolName: "Read", content: "a\nb", isError: false }],
      ["tool_result", { toolCallId: "t2", content: [{ type: "image" }], isError: true }],
      ["user_message", { content: [{ type: "text", text: "note" }] }],
    ]);
  });

  it("a synthetic API-error message is not model output: it is raw, and it classifies a later crash", () => {
    const { feed, parser } = setup();
    const events = feed({
      type: "assistant",
      is_api_error_message: true,
      api_error_status: 429,
      error: "rate_limit",
      message: { id: "x", model: "<synthetic>", content: [{ type: "text", text: "API Error: 429 too many requests" }] },
    });
    expect(kindsOf(events)).toBe("raw");
    const [error] = parser.exit(exitInfo({ exitCode: 1 }));
    expect(error?.payload).toMatchObject({ code: "rate_limit", message: "API Error: 429 too many requests", details: { apiErrorStatus: 429 } });
  });
});

describe("partial messages", () => {
  it("text deltas carry the streamed message id and block index; other frames are raw", () => {
    const { feed } = setup();
    const events = feed(
      { type: "stream_event", event: { type: "message_start", message: { id: "msg_9" } } },
      { type: "stream_event", event: { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "t" } } },
      { type: "stream_event", event: { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "  hi " } } },
      { type: "stream_event", event: { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "" } } },
      { type: "stream_event", event: "garbage" },
    );
    expect(kindsOf(events)).toBe("raw raw assistant_delta raw raw");
    expect(events[2]?.payload).toEqual({ content: "  hi ", index: 1, messageId: "msg_9" });
  });
});

describe("system lines", () => {
  it("api_retry with 429 is rate_limited; other retries are warnings", () => {
    const { feed } = setup();
    const events = feed(
      { type: "system", subtype: "api_retry", attempt: 1, max_retries: 3, retry_delay_ms: 500, error_status: 429, error: "rate_limit" },
      { type: "system", subtype: "api_retry", attempt: 2, max_retries: 3, error_status: 503, error: "server_error" },
    );
    expect(kindsOf(events)).toBe("rate_limited warning:api_retry");
    expect(events[0]?.payload).toMatchObject({ attempt: 1, errorStatus: 429, retryDelayMs: 500 });
    expect(String(events[1]?.payload && (events[1].payload as { message: string }).message)).toContain("HTTP 503");
  });

  it("a rejected rate_limit_event is rate_limited with an ISO reset time; others are raw", () => {
    const { feed } = setup();
    const events = feed(
      { type: "rate_limit_event", rate_limit_info: { status: "allowed_warning" } },
      { type: "rate_limit_event", rate_limit_info: { status: "rejected", resetsAt: 1_800_000_000, rateLimitType: "five_hour" } },
    );
    expect(kindsOf(events)).toBe("raw rate_limited");
    expect(events[1]?.payload).toEqual({
      message: "Claude usage limit reached (five_hour)",
      resetsAt: new Date(1_800_000_000_000).toISOString(),
      rateLimitType: "five_hour",
    });
  });
});

describe("result lines", () => {
  it("estimates the cost from list prices when the CLI reports none", () => {
    const { feed } = setup();
    const events = feed(init, resultLine({ result: "ok", usage: { input_tokens: 1000, output_tokens: 100, cache_read_input_tokens: 10 } }));
    // claude-sonnet-5-5: $2 / $10 per million, cache reads $0.10.
    const expected = 1000 * 2e-6 + 100 * 10e-6 + 10 * 0.1e-6;
    expect(ofKind(events, "cost_update")[0]?.payload["costUsd"]).toBeCloseTo(expected, 12);
    expect(ofKind(events, "result")[0]?.payload["costUsd"]).toBeCloseTo(expected, 12);
  });

  it("an unknown model and no CLI cost gives null, never a made-up 0", () => {
    const { feed } = setup();
    const events = feed({ ...init, model: "llama3.2" }, resultLine({ result: "ok", usage: { input_tokens: 5, output_tokens: 5 } }));
    expect(ofKind(events, "cost_update")[0]?.payload["costUsd"]).toBeNull();
  });

  it("the CLI's cost wins over the estimate, even when it is 0", () => {
    const { feed } = setup();
    const events = feed(init, resultLine({ result: "ok", total_cost_usd: 0, usage: { input_tokens: 1000, output_tokens: 100 } }));
    expect(ofKind(events, "cost_update")[0]?.payload["costUsd"]).toBe(0);
  });

  it.each([
    [{ api_error_status: 429, result: "Rate limited" }, "rate_limit"],
    [{ api_error_status: 429, result: "You have reached your usage limit" }, "quota_exhausted"],
    [{ api_error_status: 402, result: "Payment required" }, "quota_exhausted"],
    [{ api_error_status: 529, result: "Overloaded" }, "rate_limit"],
    [{ api_error_status: 503, result: "API Error: 503 check your api key gateway" }, "transport_error"],
    [{ result: "Credit balance is too low" }, "quota_exhausted"],
    [{ result: "Invalid API key · Fix external API key" }, "auth_error"],
    [{ result: "something odd" }, "runtime"],
    [{ subtype: "error_max_turns", num_turns: 3 }, "guardrail_blocked"],
    [{ subtype: "error_max_budget_usd" }, "guardrail_blocked"],
    [{ subtype: "error_during_execution", terminal_reason: "aborted_tools", errors: ["[ede_diagnostic] x"] }, "user_cancelled"],
  ])("an error result %j is a terminal %s error", (fields, code) => {
    const { feed } = setup();
    const events = feed(resultLine({ is_error: true, ...fields }));
    const error = ofKind(events, "error")[0]?.payload;
    expect(error).toMatchObject({ code, severity: "error" });
    expect(ofKind(events, "result")).toHaveLength(0);
  });

  it("an error result without text joins its errors", () => {
    const { feed } = setup();
    const [error] = ofKind(feed(resultLine({ subtype: "error_during_execution", is_error: true, errors: ["a", "b"] })), "error");
    expect(error?.payload).toMatchObject({ message: "a; b", text: "a; b", apiErrorStatus: null });
  });

  it("only the first result is the outcome", () => {
    const { feed } = setup();
    const events = feed(resultLine({ result: "one" }), resultLine({ result: "two" }));
    expect(kindsOf(events)).toBe("session_updated result raw");
  });
});

describe("control requests from the CLI", () => {
  it("answers elicitation with decline and unknown subtypes with an error, at once", () => {
    const { feed, replies } = setup();
    const events = feed(
      { type: "control_request", request_id: "r1", request: { subtype: "elicitation", message: "?" } },
      { type: "control_request", request_id: "r2", request: { subtype: "remote_tool_call" } },
      { type: "control_request", request: { subtype: "hook_callback" } },
    );
    expect(kindsOf(events)).toBe("raw raw raw");
    expect(replies.map((line): unknown => JSON.parse(line))).toEqual([
      { type: "control_response", response: { subtype: "success", request_id: "r1", response: { action: "decline" } } },
      {
        type: "control_response",
        response: { subtype: "error", request_id: "r2", error: "Unsupported control request subtype: remote_tool_call" },
      },
    ]);
  });

  it("a reply that cannot be written becomes a warning instead of an exception", () => {
    const { feed } = setup(() => {
      throw new Error("stdin closed");
    });
    const events = feed({ type: "control_request", request_id: "r1", request: { subtype: "hook_callback" } });
    expect(kindsOf(events)).toBe("raw warning:control_reply_failed");
  });

  it("a cancel for an unknown request is raw; a cancel for a pending approval resolves it once", () => {
    const { feed } = setup();
    const events = feed(
      { type: "control_request", request_id: "p1", request: { subtype: "can_use_tool", tool_name: "Edit", input: { file_path: "a" } } },
      { type: "control_cancel_request", request_id: "p1" },
      { type: "control_cancel_request", request_id: "p1" },
      { type: "control_cancel_request", request_id: "zz" },
    );
    expect(kindsOf(events)).toBe("approval_requested approval_resolved raw raw");
  });
});

describe("exit", () => {
  it("after an outcome, or when the kernel saw one, adds nothing", () => {
    const first = setup();
    first.feed(resultLine({ result: "ok" }));
    expect(first.parser.exit(exitInfo({ exitCode: 1 }))).toEqual([]);
    expect(setup().parser.exit(exitInfo({ outcomeSeen: true }))).toEqual([]);
  });

  it("resolves pending approvals as cancelled before the synthesized error", () => {
    const { feed, parser } = setup();
    feed({ type: "control_request", request_id: "p1", request: { subtype: "can_use_tool", tool_name: "Bash", input: {} } });
    const events = parser.exit(exitInfo({ exitCode: null, signal: "SIGKILL" }));
    expect(kindsOf(events)).toBe("approval_resolved error:transport_exit");
    expect(events[1]?.payload).toMatchObject({ exitCode: null, details: { signal: "SIGKILL" } });
    expect(parser.exit(exitInfo())).toEqual([]);
  });

  it.each([
    [{ exitCode: 127, stderrTail: "sh: 1: claude: not found" }, "cli_not_found"],
    [{ exitCode: null, signal: "SIGINT" }, "user_cancelled"],
    [{ exitCode: 1, stderrTail: "Not logged in · Please run /login" }, "auth_error"],
    [{ exitCode: 1, stderrTail: "Error: 429 Too Many Requests" }, "rate_limit"],
    [{ exitCode: 1, stderrTail: "Error: boom" }, "transport_exit"],
    [{ exitCode: 1, stderrTail: "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons" }, "config_invalid"],
  ])("classifies %j as %s", (info, code) => {
    const [error] = setup().parser.exit(exitInfo(info));
    expect(error?.payload).toMatchObject({ code, severity: "error" });
  });

  it("a retry notice before a crash classifies it from the API status", () => {
    const { feed, parser } = setup();
    feed({ type: "system", subtype: "api_retry", attempt: 1, max_retries: 9, error_status: 529, error: "overloaded" });
    const [error] = parser.exit(exitInfo({ exitCode: null, signal: "SIGTERM" }));
    expect(error?.payload).toMatchObject({ code: "rate_limit" });
  });

  it("ends the run with auth_error at the first refused request instead of waiting out Claude Code's retries", () => {
    const { feed, parser } = setup();
    feed({ type: "system", subtype: "init", session_id: "s1", model: "sonnet" });
    const events = feed({ type: "system", subtype: "api_retry", attempt: 1, max_retries: 9, error_status: 401, error: "authentication_failed" });
    expect(events.map((event) => event.kind)).toEqual(["warning", "error"]);
    expect(events[1]?.payload).toMatchObject({ code: "auth_error", severity: "error", retryable: false, apiErrorStatus: 401 });
    // Later retries and the CLI's own result change nothing; the exit adds no second outcome.
    expect(feed({ type: "system", subtype: "api_retry", attempt: 2, max_retries: 9, error_status: 401 }).map((event) => event.kind)).toEqual(["warning"]);
    expect(parser.exit(exitInfo({ exitCode: 1, signal: null }))).toEqual([]);
    for (const status of [500, 503]) {
      const other = setup();
      expect(other.feed({ type: "system", subtype: "api_retry", attempt: 1, max_retries: 9, error_status: status }).map((event) => event.kind)).toEqual(["warning"]);
    }
  });
});

describe("Claude's own stderr warnings", () => {
  // Recorded from the pinned claude given an unknown --model (see __fixtures__/README.md).
  const recorded = readFileSync(new URL("../__fixtures__/stderr/unrecognized-model.txt", import.meta.url), "utf8");

  it("a [claude-code:<code>] line is a claude.<code> warning besides the stderr event", () => {
    const { parser } = setup();
    const events = parser.stderr(recorded);
    expect(kindsOf(events)).toBe("stderr warning:claude.unrecognized_model");
    const [warning] = ofKind(events, "warning");
    expect(warning?.payload.message).toContain("claude-nonexistent-9");
    expect(warning?.payload.details).toMatchObject({ nativeCode: "unrecognized_model", data: { model: "claude-nonexistent-9" } });
  });

  it("other stderr lines are stderr only", () => {
    const { parser } = setup();
    expect(kindsOf(parser.stderr("some debug output\n[other] x\n"))).toBe("stderr");
  });
});

describe("resuming a session Claude does not have", () => {
  it("is not_found, from the result line or from stderr alone", () => {
    const { feed, parser } = setup();
    const events = feed({ type: "result", subtype: "error_during_execution", is_error: true, session_id: "x", errors: ["No conversation found with session ID: x"] });
    expect(ofKind(events, "error")[0]?.payload.code).toBe("not_found");
    const [error] = setup().parser.exit(exitInfo({ stderrTail: "No conversation found with session ID: x\n" }));
    expect(error?.payload).toMatchObject({ code: "not_found" });
    void parser;
  });
});

