import { describe, expect, it } from "vitest";
import { jsonlTestProfile } from "./jsonl-test-profile.js";

const input = { prompt: "Say OK", options: {}, maxArgvPromptBytes: 100 };

describe("jsonlTestProfile", () => {
  it("maps every line type of the fake CLI onto contract events", () => {
    const replies: string[] = [];
    const parser = jsonlTestProfile().createParser({ provider: "fake", reply: (line) => replies.push(line) });
    const lines = [
      '{"type":"text","text":"Hi","session_id":"s-1"}',
      '{"type":"message","text":"Whole"}',
      '{"type":"thinking","text":"hmm"}',
      '{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}',
      '{"type":"tool_result","id":"t1","content":"a.txt","is_error":true}',
      '{"type":"approval","id":"ap-1","tool":"Bash","input":{}}',
      '{"type":"cost","input_tokens":3,"output_tokens":4,"cost_usd":0.5}',
      '{"type":"error","message":"slow down","code":"rate_limit","severity":"warning"}',
      '{"type":"error","message":"odd","code":"not-a-code"}',
      '{"type":"control_request","id":"c1"}',
      '{"type":"brand_new","x":1}',
      "[1,2]",
      "not json",
      '{"type":"result","text":"done","stop_reason":"end_turn"}',
    ];
    const events = lines.flatMap((line) => parser.line(line));
    expect(events.map((event) => [event.kind, event.payload])).toEqual([
      ["assistant_delta", { content: "Hi" }],
      ["assistant_message", { content: [{ type: "text", text: "Whole" }] }],
      ["thinking", { content: "hmm" }],
      ["tool_use", { toolName: "Bash", toolCallId: "t1", input: { command: "ls" } }],
      ["tool_result", { toolCallId: "t1", content: "a.txt", isError: true }],
      ["approval_requested", { approvalId: "ap-1", subject: "Bash", details: { type: "approval", id: "ap-1", tool: "Bash", input: {} } }],
      ["cost_update", { inputTokens: 3, outputTokens: 4, costUsd: 0.5 }],
      ["error", { message: "slow down", code: "rate_limit", severity: "warning" }],
      ["error", { message: "odd", code: "unknown", severity: "error" }],
      ["raw", { stream: "stdout", content: { type: "brand_new", x: 1 } }],
      ["raw", { stream: "stdout", content: [1, 2] }],
      ["error", { message: "not a JSON line: not json", code: "parse_error", severity: "warning", details: { line: "not json" } }],
      ["result", { status: "success", text: "done", stopReason: "end_turn" }],
    ]);
    expect(events[0]?.providerSessionId).toBe("s-1");
    expect(events.at(-1)?.providerSessionId).toBe("s-1");
    expect(events[9]?.metadata).toEqual({ unknownType: "brand_new" });
    expect(events[10]?.metadata).toBeUndefined();
    expect(replies).toEqual(['{"type":"control_response","id":"c1"}']);
    expect(parser.stderr("warn\n")).toEqual([{ kind: "stderr", payload: { content: "warn\n" } }]);
  });

  it("classifies a failed exit only when asked", () => {
    const info = { exitCode: 1, signal: null, stderrTail: "invalid api key", outcomeSeen: false };
    expect(jsonlTestProfile().createParser({ provider: "fake", reply: () => undefined }).exit(info)).toEqual([]);
    const classified = jsonlTestProfile({ classifyExit: true }).createParser({ provider: "fake", reply: () => undefined }).exit(info);
    expect(classified[0]?.payload).toMatchObject({ code: "auth_error", exitCode: 1 });
    expect(jsonlTestProfile({ classifyExit: true }).createParser({ provider: "fake", reply: () => undefined }).exit({ ...info, outcomeSeen: true })).toEqual([]);
  });

  it("builds invocations for argv, stdin and file prompts", () => {
    const profile = jsonlTestProfile();
    expect(profile.buildInvocation(input)).toEqual({ args: ["--prompt", "Say OK"], env: {}, closeStdin: true });
    expect(profile.buildInvocation({ ...input, options: { promptVia: "stdin", args: ["-v"] } })).toEqual({
      args: ["-v", "--prompt-stdin"],
      env: {},
      stdin: "Say OK",
      closeStdin: true,
    });
    expect(profile.buildInvocation({ ...input, prompt: "x".repeat(101) })).toMatchObject({
      args: ["--prompt-file", "${file:prompt}"],
      files: [{ key: "prompt", content: "x".repeat(101) }],
    });
    expect(jsonlTestProfile({ control: true }).buildInvocation(input).closeStdin).toBe(false);
  });

  it("speaks the stdin-echo control protocol when asked", () => {
    const control = jsonlTestProfile({ control: true }).control;
    expect(control?.approvalReply({ id: "ap-1" }, "deny", "no")).toBe('{"type":"approval_response","id":"ap-1","decision":"deny","reason":"no"}');
    expect(control?.interruptLine("r1")).toBe('{"type":"interrupt","requestId":"r1"}');
    expect(control?.userMessageLine("hi")).toBe('{"type":"user","text":"hi"}');
    expect(control?.endInputOnOutcome).toBe(true);
    expect(jsonlTestProfile({ control: { interruptVia: "signal" } }).control?.interruptLine("r1")).toBeNull();
    expect(jsonlTestProfile().control).toBeUndefined();
    expect(jsonlTestProfile().cli.parseVersion("fake-cli 1.2.3\n")).toBe("1.2.3");
  });
});
