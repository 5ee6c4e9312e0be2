import { describe, expect, it } from "vitest";
import { event, sampleRun } from "./__fixtures__/events.js";
import { compactRenderer } from "./compact-renderer.js";

const plain = () => compactRenderer({ color: false });

function renderAll(events: ReturnType<typeof sampleRun>, renderer = plain()): string {
  return events.map((e) => renderer.render(e)).join("") + renderer.finish({ eventCount: events.length, toolCount: events.filter((e) => e.kind === "tool_use").length });
}

describe("compactRenderer", () => {
  it("renders a live run with streamed text, a tool call, the result and a footer", () => {
    expect(renderAll(sampleRun())).toBe(
      [
        "r+ claude claude-opus-5-5 lane=core",
        ">> I will run a command.",
        "t+Bash {\"command\":\"echo hi\"}",
        "t-toolu_1 hi",
        "msg The command printed: hi",
        "$ tk:32/17 $0.000468",
        "r-:end tk:32/17 $0.000468",
        "rc:completed",
        "10 events, 1 tools",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["session_updated", event("session_updated", { providerSessionId: "abc" }), "sid abc\n"],
    ["user_message", event("user_message", { content: "hello\nthere" }), "usr hello there\n"],
    ["thinking", event("thinking", { content: "let me see" }), ".. let me see\n"],
    ["tool_result error", event("tool_result", { toolCallId: "t9", content: "boom", isError: true }), "t!t9 boom\n"],
    ["tool_result blocks", event("tool_result", { toolCallId: "t8", content: [{ type: "text", text: "x" }] }), 't-t8 [{"type":"text","text":"x"}]\n'],
    ["plan", event("plan", { entries: [{ content: "a", status: "completed" }, { content: "b" }] }), "plan [x] a; [ ] b\n"],
    [
      "approval_requested",
      event("approval_requested", { approvalId: "ap1", subject: "Bash", details: { command: "rm x" } }),
      'a? ap1 Bash {"command":"rm x"}\n',
    ],
    ["approval_requested without details", event("approval_requested", { approvalId: "ap2", subject: "Edit" }), "a? ap2 Edit\n"],
    ["approval_resolved", event("approval_resolved", { approvalId: "ap1", decision: "deny", reason: "timeout" }), "a= ap1 deny (timeout)\n"],
    ["cost unknown", event("cost_update", { inputTokens: 5, outputTokens: 6, costUsd: null }), "$ tk:5/6 $?\n"],
    ["rate_limited", event("rate_limited", { message: "usage limit", resetsAt: "2025-01-01T00:00:00Z" }), "rl usage limit resets 2025-01-01T00:00:00Z\n"],
    [
      "guardrail_triggered",
      event("guardrail_triggered", { rule: "deny_tool", action: "warn", message: "Bash is not allowed" }),
      "g! deny_tool warn: Bash is not allowed\n",
    ],
    ["warning", event("warning", { code: "schema_drift", message: "unknown event type" }), "w schema_drift: unknown event type\n"],
    ["result tool_use", event("result", { stopReason: "tool_use", numTurns: 2 }), "r-:tool turns:2\n"],
    ["result max_tokens", event("result", { stopReason: "max_tokens", usage: { inputTokens: 1, outputTokens: 2 }, costUsd: null }), "r-:max tk:1/2 $?\n"],
    ["result other reason", event("result", { stopReason: "refusal" }), "r-:refusal\n"],
    ["result without reason", event("result", { text: "x" }), "r-:done\n"],
    ["error", event("error", { code: "auth_error", message: "Invalid API key" }), "! auth_error: Invalid API key\n"],
    ["error warning", event("error", { code: "parse_error", message: "bad line", severity: "warning" }), "!warning parse_error: bad line\n"],
    ["stderr", event("stderr", { content: "some noise\n" }), "err some noise\n"],
    ["stderr blank", event("stderr", { content: "\n" }), ""],
    ["raw", event("raw", { stream: "stdout", content: { type: "system", subtype: "init" } }), "?raw system/init\n"],
    ["raw text", event("raw", { stream: "stderr", content: "plain" }), "?raw plain\n"],
    ["run_completed failed", event("run_completed", { status: "failed", error: { code: "timeout", message: "idle" } }), "rc:failed timeout\n"],
    ["run_completed interrupted", event("run_completed", { status: "interrupted" }), "rc:interrupted\n"],
  ])("renders %s", (_name, input, expected) => {
    expect(plain().render(input)).toBe(expected);
  });

  it("falls back to ?<kind> for kinds it does not know", () => {
    const unknown = { ...event("warning", { code: "schema_drift", message: "y" }), kind: "future_kind" } as unknown as ReturnType<typeof event>;
    expect(plain().render(unknown)).toBe("?future_kind\n");
  });

  it("prints a complete message when nothing was streamed, and skips it after deltas", () => {
    const renderer = plain();
    expect(renderer.render(event("assistant_message", { content: [{ type: "text", text: "Hello" }] }))).toBe("msg Hello\n");
    expect(renderer.render(event("assistant_delta", { content: "Hi" }))).toBe(">> Hi");
    expect(renderer.render(event("assistant_message", { content: [{ type: "text", text: "Hi" }] }))).toBe("");
    expect(renderer.finish({ eventCount: 3, toolCount: 0 })).toBe("\n3 events, 0 tools\n");
  });

  it("closes open streamed text with a newline before the next token", () => {
    const renderer = plain();
    renderer.render(event("assistant_delta", { content: "partial" }));
    expect(renderer.render(event("error", { code: "timeout", message: "idle timeout" }))).toBe("\n! timeout: idle timeout\n");
  });

  it("cuts previews at previewChars and keeps whole messages with messageChars Infinity", () => {
    const long = "x".repeat(300);
    expect(plain().render(event("tool_result", { toolCallId: "t", content: long }))).toBe(`t-t ${"x".repeat(239)}…\n`);
    const whole = compactRenderer({ color: false, messageChars: Number.POSITIVE_INFINITY });
    expect(whole.render(event("assistant_message", { content: [{ type: "text", text: long }] }))).toBe(`msg ${long}\n`);
    expect(compactRenderer({ color: false, previewChars: 5 }).render(event("thinking", { content: "abcdefgh" }))).toBe(".. abcd…\n");
  });

  it("leaves out omitted kinds and the footer on request", () => {
    const renderer = compactRenderer({ color: false, omit: ["raw", "cost_update"], footer: false });
    expect(renderer.render(event("raw", { stream: "stdout", content: {} }))).toBe("");
    expect(renderer.render(event("cost_update", { inputTokens: 1, outputTokens: 1, costUsd: 0 }))).toBe("");
    expect(renderer.finish({ eventCount: 2, toolCount: 0 })).toBe("");
  });

  it("colours tokens with ANSI codes unless color is false", () => {
    const coloured = compactRenderer().render(event("error", { code: "runtime", message: "x" }));
    expect(coloured).toBe("\u001b[31m! runtime: x\u001b[39m\n");
    expect(plain().render(event("error", { code: "runtime", message: "x" }))).not.toContain("\u001b[");
  });
});
