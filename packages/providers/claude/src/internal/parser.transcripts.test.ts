import { isOutcomeEvent, payloadSchemas } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { claudeTranscriptNames, kindsOf, ofKind, replay } from "../__fixtures__/replay.js";
import { claudeApprovalReplyLine } from "./control-protocol.js";

/** A control_response line as Claude Code reads it (or as ASM answers one). */
interface ControlResponseLine {
  response: { request_id?: string; response: Record<string, unknown> & { mcp_response?: unknown; updatedInput?: unknown } };
}

function controlResponse(line: string): ControlResponseLine {
  return JSON.parse(line) as ControlResponseLine;
}

// The exact normalized kinds of every recorded run, stdout then stderr then exit. `raw` lines are
// control responses to our own requests, later turns' `system/init`, `session_state_changed`,
// status and stream frames that carry no text.
const EXPECTED: Record<string, string> = {
  "transcripts/text": "session_updated assistant_message cost_update result",
  "transcripts/tool": "session_updated assistant_message tool_use tool_result assistant_message cost_update result",
  "transcripts/stream-input": "session_updated assistant_message cost_update result",
  // The first refused request ends the run; what the CLI prints after it is passed through as raw.
  "transcripts/error-401": "session_updated warning:api_retry error:auth_error warning:api_retry raw raw",
  "transcripts/error-500": "session_updated warning:api_retry warning:api_retry raw cost_update error:transport_error",
  "transcripts/resume": "session_updated assistant_message cost_update result",
  "transcripts/text-v2.1.197": "session_updated assistant_message cost_update result",
  "transcripts/control-allow":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-allow-always":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result raw assistant_message tool_use approval_requested tool_result assistant_message raw",
  "transcripts/control-allow-always-simple":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result raw assistant_message tool_use tool_result assistant_message raw",
  "transcripts/control-allow-always-suggested":
    "raw session_updated assistant_message tool_use approval_requested raw tool_result assistant_message cost_update result raw assistant_message tool_use tool_result assistant_message raw",
  "transcripts/control-allow-modified-input":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-allow-no-updated-input":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-bad-permission-response":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-deny":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-deny-interrupt":
    "raw session_updated assistant_message tool_use approval_requested tool_result user_message cost_update error:user_cancelled",
  "transcripts/control-deny-no-message":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-echo-readonly": "raw session_updated assistant_message tool_use tool_result assistant_message cost_update result",
  "transcripts/control-eof-idle": "raw error:transport_exit",
  "transcripts/control-eof-midturn": "raw session_updated assistant_message cost_update result",
  "transcripts/control-eof-pending-permission":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-fakecli-canuse": "raw session_updated tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-fakecli-exit-after-result": "raw session_updated result",
  "transcripts/control-fakecli-exit-without-result": "raw error:transport_exit",
  "transcripts/control-fakecli-exit1": "raw session_updated result",
  "transcripts/control-fakecli-full": "raw session_updated assistant_message cost_update result",
  "transcripts/control-fakecli-min": "raw session_updated result",
  "transcripts/control-fakecli-min-mjs": "raw session_updated result",
  "transcripts/control-fakecli-noexit": "raw session_updated result",
  "transcripts/control-fakecli-noinit": "session_updated result",
  "transcripts/control-fakecli-session-state": "raw session_updated raw session_updated assistant_message cost_update result raw",
  "transcripts/control-fakecli-session-state-no-idle": "raw session_updated raw session_updated assistant_message cost_update result",
  "transcripts/control-hook-callback":
    "raw session_updated assistant_message tool_use raw approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-interrupt-idle": "raw raw session_updated assistant_message cost_update result",
  "transcripts/control-interrupt-pending-permission":
    "raw session_updated assistant_message tool_use approval_requested approval_resolved raw tool_result user_message cost_update error:user_cancelled",
  "transcripts/control-interrupt-streaming":
    "raw session_updated raw assistant_message user_message cost_update error:user_cancelled raw assistant_message raw",
  "transcripts/control-interrupt-then-eof": "raw session_updated raw assistant_message user_message cost_update error:user_cancelled",
  "transcripts/control-invalid-json": "raw stderr error:runtime",
  "transcripts/control-misc-controls":
    "raw raw session_updated raw warning:control_error warning:control_error raw raw raw warning:control_error raw raw session_updated assistant_message cost_update result raw raw user_message raw raw assistant_message raw",
  "transcripts/control-multiturn":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result raw assistant_message raw raw assistant_message raw",
  "transcripts/control-no-initialize":
    "session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-no-prompt-tool":
    "raw session_updated assistant_message tool_use warning:permission_denied tool_result assistant_message cost_update result",
  "transcripts/control-permission-error-response":
    "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "transcripts/control-queued-user-messages": "raw session_updated assistant_message cost_update result raw assistant_message raw",
  "transcripts/control-sdk-allow":
    "raw session_updated raw session_updated assistant_message tool_use raw approval_requested raw tool_result assistant_message cost_update result raw",
  "transcripts/control-sdk-deny":
    "raw session_updated raw session_updated assistant_message tool_use raw approval_requested raw tool_result assistant_message cost_update result raw",
  "transcripts/control-sdk-mcp-server": "raw raw raw raw session_updated assistant_message cost_update result",
  "transcripts/control-sdk-plain": "raw session_updated raw session_updated assistant_message cost_update result raw",
  "transcripts/control-sdk-stream-interrupt":
    "raw session_updated raw session_updated raw assistant_message user_message cost_update error:user_cancelled raw raw raw assistant_message raw raw",
  "transcripts/control-sdk-string-interrupt":
    "raw session_updated raw session_updated raw assistant_message user_message cost_update error:user_cancelled raw",
  "recorded/ctl-allow": "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "recorded/ctl-bypass-root": "stderr error:config_invalid",
  "recorded/ctl-deny": "raw session_updated assistant_message tool_use approval_requested tool_result assistant_message cost_update result",
  "recorded/ctl-interrupt":
    "raw session_updated raw raw raw assistant_delta raw assistant_message user_message raw raw raw cost_update error:user_cancelled",
  "recorded/ctl-resume": "raw session_updated assistant_message cost_update result",
  "recorded/json-schema": "session_updated tool_use tool_result cost_update result",
  "recorded/partial":
    "session_updated raw raw raw raw raw raw raw raw thinking raw raw assistant_delta assistant_delta assistant_delta assistant_delta assistant_message raw raw raw cost_update result",
  "recorded/print-all": "session_updated assistant_message cost_update result",
  "recorded/resume-unknown-id": "session_updated cost_update error:not_found stderr",
  "recorded/root-refusal": "stderr error:config_invalid",
};

const ALL = [
  ...claudeTranscriptNames("transcripts").map((name) => ["transcripts", name] as const),
  ...claudeTranscriptNames("recorded").map((name) => ["recorded", name] as const),
];

describe("every recorded Claude Code run", () => {
  it("has an expectation (no fixture goes untested)", () => {
    expect(ALL.map(([dir, name]) => `${dir}/${name}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(ALL)("%s/%s maps to the expected kinds, one outcome, valid payloads", (dir, name) => {
    const { events } = replay(dir, name);
    expect(kindsOf(events)).toBe(EXPECTED[`${dir}/${name}`]);
    expect(events.filter(isOutcomeEvent)).toHaveLength(1);
    for (const event of events) {
      const parsed = payloadSchemas[event.kind].safeParse(event.payload);
      expect(parsed.success, `${event.kind} payload ${JSON.stringify(event.payload).slice(0, 200)}`).toBe(true);
    }
    // Every type Claude Code printed in these runs is known: nothing is tagged as schema drift.
    expect(events.filter((event) => event.metadata?.["unknownType"] !== undefined)).toEqual([]);
  });

  it.each(ALL)("%s/%s stamps the provider session id on every event once it is known", (dir, name) => {
    const { events } = replay(dir, name);
    const first = events.findIndex((event) => event.providerSessionId !== undefined);
    if (first === -1) return;
    const ids = new Set(events.slice(first).map((event) => event.providerSessionId));
    expect(ids.has(undefined)).toBe(false);
    const announced = events[first];
    expect(announced?.kind).toBe("session_updated");
  });
});

describe("print mode", () => {
  it("text: session, model, version, text, usage and cost", () => {
    const { events } = replay("transcripts", "text");
    const sessionId = "f25030ae-af1a-45ba-bb0c-935a025c1622";
    expect(ofKind(events, "session_updated")[0]?.payload).toMatchObject({
      providerSessionId: sessionId,
      model: "claude-opus-5-5",
      cliVersion: "2.1.329",
      cwd: "<WORKDIR>",
      permissionMode: "default",
    });
    expect(ofKind(events, "session_updated")[0]?.payload["tools"]).toContain("Bash");
    expect(ofKind(events, "assistant_message")[0]?.payload).toMatchObject({
      content: [{ type: "text", text: "OK" }],
      model: "claude-opus-5-5",
      messageId: "msg_fake_1",
    });
    expect(ofKind(events, "cost_update")[0]?.payload).toMatchObject({ inputTokens: 12, outputTokens: 2, costUsd: 0.000088 });
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({
      text: "OK",
      stopReason: "end_turn",
      numTurns: 1,
      durationMs: 154,
      costUsd: 0.000088,
      usage: { inputTokens: 12, outputTokens: 2, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    });
    expect(events.every((event) => event.providerSessionId === sessionId)).toBe(true);
  });

  it("tool: one event per content block, same message id, tool result named after its call", () => {
    const { events } = replay("transcripts", "tool");
    const [text, second] = ofKind(events, "assistant_message");
    const toolUse = ofKind(events, "tool_use")[0];
    expect(text?.payload["messageId"]).toBe("msg_fake_1");
    expect(toolUse?.payload).toEqual({
      toolName: "Bash",
      toolKind: "shell",
      toolCallId: "toolu_fake_01",
      input: { command: "echo hi", description: "Print hi" },
      messageId: "msg_fake_1",
    });
    expect(ofKind(events, "tool_result")[0]?.payload).toMatchObject({
      toolCallId: "toolu_fake_01",
      toolName: "Bash",
      content: "hi",
      isError: false,
      toolUseResult: { stdout: "hi" },
    });
    expect(second?.payload["messageId"]).toBe("msg_fake_2");
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ text: "The command printed: hi", numTurns: 2, costUsd: 0.000468 });
  });

  it("stream-input: same events as the argv prompt", () => {
    expect(kindsOf(replay("transcripts", "stream-input").events)).toBe(kindsOf(replay("transcripts", "text").events));
  });

  it("error-401: the first refused request is the auth_error outcome, without waiting for the retries", () => {
    const { events } = replay("transcripts", "error-401");
    expect(ofKind(events, "warning")[0]?.payload).toMatchObject({
      code: "api_retry",
      details: { attempt: 1, maxRetries: 2, errorStatus: 401, error: "authentication_failed" },
    });
    expect(ofKind(events, "assistant_message")).toHaveLength(0);
    const errors = ofKind(events, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.payload).toMatchObject({ code: "auth_error", severity: "error", apiErrorStatus: 401, retryable: false, details: { attempt: 1 } });
    expect(errors[0]?.payload.message).toMatch(/refused \(HTTP 401 authentication_failed\).*ANTHROPIC_API_KEY/);
    // It comes right after the first retry notice, before Claude Code's own result line.
    expect(events.findIndex((event) => event.kind === "error")).toBe(events.findIndex((event) => event.kind === "warning") + 1);
    expect(ofKind(events, "result")).toHaveLength(0);
  });

  it("error-500: a retryable transport error", () => {
    const { events } = replay("transcripts", "error-500");
    const error = ofKind(events, "error")[0]?.payload;
    expect(error).toMatchObject({ code: "transport_error", apiErrorStatus: 500, retryable: true });
    expect(String(error?.["text"])).toMatch(/^API Error: 500 Internal server error/);
  });

  it("resume: keeps the session id of the resumed run", () => {
    const text = ofKind(replay("transcripts", "text").events, "session_updated")[0]?.payload["providerSessionId"];
    const { events } = replay("transcripts", "resume");
    expect(ofKind(events, "session_updated")[0]?.payload["providerSessionId"]).toBe(text);
    expect(ofKind(events, "result")[0]?.payload["text"]).toBe("OK, resumed (I see 4 messages)");
    // total_cost_usd counts the resumed session; the turn's own cost is what the run cost.
    expect(ofKind(events, "cost_update")[0]?.payload).toMatchObject({ costUsd: 0.000088, totalCostUsd: 0.000176 });
  });

  it("text-v2.1.197: the older version maps the same way", () => {
    const { events } = replay("transcripts", "text-v2.1.197");
    expect(ofKind(events, "session_updated")[0]?.payload).toMatchObject({ cliVersion: "2.1.197", model: "claude-opus-4-8[1m]" });
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ text: "OK", costUsd: 0.00010999999999999999 });
  });

  it("partial messages: text deltas in order, thinking once (from the complete block)", () => {
    const { events } = replay("recorded", "partial");
    const deltas = ofKind(events, "assistant_delta");
    expect(deltas.map((event) => event.payload["content"]).join("")).toBe("The answer is 4.");
    expect(deltas.every((event) => event.payload["messageId"] === "msg_fake_1" && event.payload["index"] === 1)).toBe(true);
    expect(ofKind(events, "thinking").map((event) => event.payload)).toEqual([
      { content: "Let me think. Two plus two is four.", signature: "sig_fake_1", messageId: "msg_fake_1" },
    ]);
  });

  it("json-schema: the structured output lands on the result", () => {
    const { events } = replay("recorded", "json-schema");
    expect(ofKind(events, "tool_use")[0]?.payload["toolName"]).toBe("StructuredOutput");
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ structuredOutput: { name: "Ada" }, text: '{"name":"Ada"}' });
  });

  it.each(["root-refusal", "ctl-bypass-root"])("%s: the root refusal tells how to fix it", (name) => {
    const error = ofKind(replay("recorded", name).events, "error")[0]?.payload;
    expect(error).toMatchObject({ code: "config_invalid", exitCode: 1 });
    expect(String(error?.["message"])).toContain("IS_SANDBOX=1");
    expect(String(error?.["stderrTail"])).toContain("root/sudo");
  });
});

describe("control protocol", () => {
  it("control-allow: can_use_tool becomes approval_requested; allowing replays exactly what was sent", () => {
    const { events, transcript } = replay("transcripts", "control-allow");
    const request = ofKind(events, "approval_requested")[0]?.payload as { approvalId: string; subject: string; details: Record<string, unknown> };
    expect(request.approvalId).toBe("0cb6384a-e6f1-402a-8b08-3f7072213fd8");
    expect(request.subject).toBe("Bash");
    expect(request.details).toMatchObject({
      requestId: request.approvalId,
      toolName: "Bash",
      toolUseId: "toolu_fake_1",
      toolInput: { command: "touch hi.txt && echo hi", description: "Run the requested command" },
      blockedPath: "<WORKDIR>/hi.txt",
      displayName: "Bash",
    });
    expect(request.details["suggestions"]).toHaveLength(3);
    const sent = transcript.stdin.find((line) => line.includes(request.approvalId));
    expect(JSON.parse(claudeApprovalReplyLine(request.details, "allow"))).toEqual(JSON.parse(sent ?? "null"));
  });

  it("control-deny: denying with a reason replays exactly what was sent; the model gets the reason", () => {
    const { events, transcript } = replay("transcripts", "control-deny");
    const request = ofKind(events, "approval_requested")[0]?.payload as { approvalId: string; details: Record<string, unknown> };
    const sent = transcript.stdin.find((line) => line.includes(request.approvalId));
    expect(JSON.parse(claudeApprovalReplyLine(request.details, "deny", "The user does not allow this command."))).toEqual(
      JSON.parse(sent ?? "null"),
    );
    expect(ofKind(events, "tool_result")[0]?.payload).toMatchObject({
      content: "The user does not allow this command.",
      isError: true,
      permissionDecision: { decision: "reject", source: "user_reject" },
    });
    expect(ofKind(events, "result")[0]?.payload["permissionDenials"]).toHaveLength(1);
  });

  it("control-allow-modified-input: a host's updatedInput is what gets sent", () => {
    const { events, transcript } = replay("transcripts", "control-allow-modified-input");
    const request = ofKind(events, "approval_requested")[0]?.payload as { approvalId: string; details: Record<string, unknown> };
    const updatedInput = { command: "touch bye.txt && echo bye", description: "Run the requested command" };
    const reply = controlResponse(claudeApprovalReplyLine({ ...request.details, updatedInput }, "allow"));
    const sent = controlResponse(transcript.stdin.find((line) => line.includes(request.approvalId)) ?? "null");
    expect(reply.response.response.updatedInput).toEqual(sent.response.response.updatedInput);
    expect(ofKind(events, "tool_result")[0]?.payload["content"]).toBe("bye");
  });

  it("control-deny-interrupt: the aborted turn is a user_cancelled outcome", () => {
    const error = ofKind(replay("transcripts", "control-deny-interrupt").events, "error")[0]?.payload;
    expect(error).toMatchObject({
      code: "user_cancelled",
      details: { subtype: "error_during_execution", terminalReason: "aborted_tools" },
    });
  });

  it("control-interrupt-pending-permission: the CLI's cancel resolves the pending approval", () => {
    const { events } = replay("transcripts", "control-interrupt-pending-permission");
    const requested = ofKind(events, "approval_requested")[0]?.payload["approvalId"];
    expect(ofKind(events, "approval_resolved")[0]?.payload).toEqual({ approvalId: requested, decision: "deny", reason: "cancelled" });
  });

  it("control-interrupt-streaming: the aborted partial message is marked; later turns do not add outcomes", () => {
    const { events } = replay("transcripts", "control-interrupt-streaming");
    expect(ofKind(events, "assistant_message")[0]?.payload).toMatchObject({ aborted: true, content: [{ type: "text", text: "Thinking slowly" }] });
    expect(ofKind(events, "user_message")[0]?.payload["content"]).toEqual([{ type: "text", text: "[Request interrupted by user]" }]);
    expect(ofKind(events, "error")[0]?.payload).toMatchObject({ code: "user_cancelled", details: { terminalReason: "aborted_streaming" } });
    expect(ofKind(events, "result")).toHaveLength(0);
  });

  it("ctl-interrupt: our own interrupt line stops a streaming turn", () => {
    const { events, transcript } = replay("recorded", "ctl-interrupt");
    expect(transcript.stdin.map((line) => (JSON.parse(line) as { request?: { subtype?: string } }).request?.subtype)).toContain("interrupt");
    expect(ofKind(events, "assistant_delta")[0]?.payload["content"]).toBe("Thinking slowly");
    expect(ofKind(events, "error")[0]?.payload["code"]).toBe("user_cancelled");
  });

  it("ctl-resume: the run's cost is its own turn, the session total is kept beside it", () => {
    const { events } = replay("recorded", "ctl-resume");
    expect(ofKind(events, "cost_update")[0]?.payload).toMatchObject({ costUsd: 0.00014000000000000001, totalCostUsd: 0.00028000000000000003 });
  });

  it("control-hook-callback: the hook is answered at once with no opinion", () => {
    const { replies, transcript } = replay("transcripts", "control-hook-callback");
    expect(replies).toHaveLength(1);
    const sent = transcript.stdin.find((line) => line.includes("f2e50b98-a996-46a1-b421-465fc27f81d4"));
    expect(JSON.parse(replies[0] ?? "null")).toEqual(JSON.parse(sent ?? "null"));
  });

  it("control-sdk-mcp-server: every mcp_message is answered; notifications as the SDK does", () => {
    const { replies, transcript } = replay("transcripts", "control-sdk-mcp-server");
    const byId = new Map(replies.map((line) => [controlResponse(line).response.request_id, controlResponse(line).response]));
    expect([...byId.keys()].sort()).toEqual(
      ["7b0840e9-4f59-4308-8cbf-5d4a5b259b2c", "84cc32f6-7764-4ff3-8b98-6101a8481cba", "8a8efbd5-91d0-4520-abed-615a83d06b6b"].sort(),
    );
    const notification = transcript.stdin.find((line) => line.includes("84cc32f6-7764-4ff3-8b98-6101a8481cba"));
    expect(byId.get("84cc32f6-7764-4ff3-8b98-6101a8481cba")).toEqual(controlResponse(notification ?? "null").response);
    // ASM hosts no in-process MCP server, so requests get a JSON-RPC error with their own id.
    expect(byId.get("7b0840e9-4f59-4308-8cbf-5d4a5b259b2c")?.response.mcp_response).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32601 } });
  });

  it("control-misc-controls: rejected control requests surface as warnings with their codes", () => {
    const warnings = ofKind(replay("transcripts", "control-misc-controls").events, "warning");
    expect(warnings.map((event) => (event.payload["details"] as { errorCode: string }).errorCode)).toEqual([
      "bypass_not_launched",
      "invalid_mode",
      "unsupported_request",
    ]);
  });

  it("control-no-prompt-tool: the CLI's own denial is a permission_denied warning", () => {
    const warning = ofKind(replay("transcripts", "control-no-prompt-tool").events, "warning")[0]?.payload;
    expect(warning).toMatchObject({ code: "permission_denied", details: { toolName: "Bash", toolUseId: "toolu_fake_1" } });
  });

  it.each(["control-eof-idle", "control-fakecli-exit-without-result"])("%s: exiting without a result is a transport_exit", (name) => {
    const error = ofKind(replay("transcripts", name).events, "error")[0]?.payload;
    expect(error).toMatchObject({ code: "transport_exit", exitCode: 0, severity: "error" });
  });

  it("control-invalid-json: a rejected stdin line is reported with the CLI's message", () => {
    const error = ofKind(replay("transcripts", "control-invalid-json").events, "error")[0]?.payload;
    expect(error).toMatchObject({ code: "runtime", exitCode: 1 });
    expect(String(error?.["message"])).toContain("Error parsing streaming input line");
  });

  it("control-fakecli-min: a bare result is still a success with its text and no invented cost", () => {
    const { events } = replay("transcripts", "control-fakecli-min");
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ text: "OK" });
    expect(ofKind(events, "cost_update")).toHaveLength(0);
    expect(ofKind(events, "session_updated")[0]?.payload).toEqual({ providerSessionId: "10458be0-d79b-446e-b2ba-1a44fb8930d3" });
  });

  it("control-fakecli-exit1: a non-zero exit after the result adds no second outcome", () => {
    const { events } = replay("transcripts", "control-fakecli-exit1");
    expect(events.at(-1)?.kind).toBe("result");
  });
});
