import { afterEach, beforeEach, expect, it } from "vitest";
import { claudeCliPath, DUMMY_ANTHROPIC_KEY } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";

// The real `claude` binary, spawned directly against the fake Anthropic server: this checks that
// the fake speaks the Messages API well enough for the real CLI, independently of ASM.

const cliPath = claudeCliPath();
const gate = realCliGate("claude", cliPath);
const STREAM_ARGS = ["--output-format", "stream-json", "--verbose"];

type Line = Record<string, unknown>;

function ofType(events: Line[], type: string, subtype?: string): Line[] {
  return events.filter((event) => event.type === type && (subtype === undefined || event.subtype === subtype));
}

function contentBlocks(events: Line[], type: string): Array<Record<string, unknown>> {
  return events
    .filter((event) => event.type === type)
    .flatMap((event) => ((event.message as { content?: unknown })?.content as Array<Record<string, unknown>> | undefined) ?? [])
    .filter((block) => typeof block === "object" && block !== null);
}

function onlyResult(events: Line[]): Line {
  const results = ofType(events, "result");
  expect(results).toHaveLength(1);
  return results[0] as Line;
}

describeRealCli("real claude against the fake Anthropic server", gate, () => {
  let harness: ClaudeHarness;

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
  });

  afterEach(async () => {
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  it("answers a text prompt, talking only to POST /v1/messages", async () => {
    const run = await harness.run(["-p", "Say OK", ...STREAM_ARGS]);
    expect(run.exitCode, run.stderr).toBe(0);
    const init = ofType(run.events, "system", "init")[0];
    expect(init).toMatchObject({ cwd: harness.dirs.cwd, analytics_disabled: true });
    expect(contentBlocks(run.events, "assistant")).toEqual([expect.objectContaining({ type: "text", text: "OK" })]);
    expect(onlyResult(run.events)).toMatchObject({ is_error: false, result: "OK", session_id: init?.session_id });

    expect(harness.api.requests.map((request) => `${request.method} ${request.url}`)).toEqual(["POST /v1/messages?beta=true"]);
    const [turn] = harness.api.turns;
    expect(turn?.stream).toBe(true);
    expect(turn?.lastUserText).toContain("Say OK");
    expect(turn?.request.headers["x-api-key"]).toBe(DUMMY_ANTHROPIC_KEY);
    expect(turn?.request.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("runs a Bash tool call with --dangerously-skip-permissions and sends its result back", async () => {
    harness.api.respondWith(
      anthropicReplies.toolThenText("Bash", { command: "echo hi", description: "Print hi" }, (results) => `The command printed: ${results[0]?.text ?? ""}`, {
        preface: "I will run a command.",
      }),
    );
    const run = await harness.run(["-p", "Run echo hi in the shell", ...STREAM_ARGS, "--dangerously-skip-permissions"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(contentBlocks(run.events, "assistant")).toContainEqual(
      expect.objectContaining({ type: "tool_use", id: "toolu_fake_1", name: "Bash", input: { command: "echo hi", description: "Print hi" } }),
    );
    expect(contentBlocks(run.events, "user")).toContainEqual(
      expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_fake_1", content: "hi", is_error: false }),
    );
    expect(onlyResult(run.events)).toMatchObject({ is_error: false, result: "The command printed: hi", num_turns: 2 });
    expect(harness.api.turns).toHaveLength(2);
    expect(harness.api.turns[1]?.toolResults).toEqual([{ toolUseId: "toolu_fake_1", text: "hi", isError: false }]);
  });

  it("streams thinking and text deltas as partial messages", async () => {
    harness.api.script(anthropicReplies.thinking("Let me think about it.", "OK, thought it through.", { deltaSize: 6 }));
    const run = await harness.run(["-p", "Think, then say OK", ...STREAM_ARGS, "--include-partial-messages"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const deltas = ofType(run.events, "stream_event")
      .map((event) => event.event as Record<string, unknown>)
      .filter((event) => event.type === "content_block_delta")
      .map((event) => event.delta as Record<string, string>);
    expect(deltas.filter((delta) => delta.type === "thinking_delta").map((delta) => delta.thinking).join("")).toBe("Let me think about it.");
    expect(deltas.filter((delta) => delta.type === "text_delta").map((delta) => delta.text).join("")).toBe("OK, thought it through.");
    expect(contentBlocks(run.events, "assistant")).toContainEqual(expect.objectContaining({ type: "thinking", thinking: "Let me think about it." }));
    expect(onlyResult(run.events)).toMatchObject({ is_error: false, result: "OK, thought it through." });
  });

  it("reports a 401 as an error result and exits 1 after its bounded retries", async () => {
    harness.api.respondWith(() => anthropicReplies.error(401));
    const run = await harness.run(["-p", "Say OK", ...STREAM_ARGS], { maxRetries: 1 });
    expect(run.exitCode).toBe(1);
    expect(ofType(run.events, "system", "api_retry")).toEqual([expect.objectContaining({ error_status: 401, error: "authentication_failed" })]);
    expect(onlyResult(run.events)).toMatchObject({ is_error: true, api_error_status: 401, terminal_reason: "api_error" });
    expect(harness.api.turns).toHaveLength(2);
  });

  it("reports a 500 as an error result and exits 1", async () => {
    harness.api.respondWith(() => anthropicReplies.error(500, { headers: { "request-id": "req_fake_500" } }));
    const run = await harness.run(["-p", "Say OK", ...STREAM_ARGS], { maxRetries: 1 });
    expect(run.exitCode).toBe(1);
    expect(ofType(run.events, "system", "api_retry")).toEqual([expect.objectContaining({ error_status: 500 })]);
    const result = onlyResult(run.events);
    expect(result).toMatchObject({ is_error: true, api_error_status: 500 });
    expect(String(result.result)).toContain("500");
    expect(harness.api.turns).toHaveLength(2);
  });

  it("retries a stream dropped mid-answer and completes with the next reply", async () => {
    harness.api.script(anthropicReplies.dropMidStream("This answer is cut off"));
    const run = await harness.run(["-p", "Say OK", ...STREAM_ARGS], { maxRetries: 1 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(ofType(run.events, "system", "api_retry")).toHaveLength(1);
    expect(onlyResult(run.events)).toMatchObject({ is_error: false, result: "OK" });
    expect(harness.api.turns).toHaveLength(2);
  });

  it("resumes a session: the second request carries the first turn", async () => {
    const first = await harness.run(["-p", "Say OK", ...STREAM_ARGS]);
    expect(first.exitCode, first.stderr).toBe(0);
    const sessionId = String(onlyResult(first.events).session_id);
    harness.api.script((turn) => anthropicReplies.text(`OK, resumed (I see ${turn.body.messages?.length ?? 0} messages)`));

    const second = await harness.run(["-p", "Say OK again", "--resume", sessionId, ...STREAM_ARGS]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(onlyResult(second.events)).toMatchObject({ is_error: false, session_id: sessionId });
    const resumed = harness.api.turns[1];
    const conversation = (resumed?.body.messages ?? []).filter((message) => message.role === "user" || message.role === "assistant");
    expect(conversation.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(conversation)).toContain("Say OK");
    expect(conversation).toContainEqual(expect.objectContaining({ role: "assistant" }));
    expect(resumed?.lastUserText).toContain("Say OK again");
  });
});
