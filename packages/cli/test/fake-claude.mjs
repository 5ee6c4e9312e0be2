#!/usr/bin/env node
// A stand-in for Claude Code in stream-json mode, for terminal tests that need what a replayed
// transcript cannot give: an approval that waits for the host's answer, and a conversation that
// carries over between runs (`--resume`). The real `claude` needs a model server inside a
// network namespace, which a tmux pane started by the test cannot share; the real binary is
// tested through `asm chat` and the e2e package instead.
//
// Behaviour: a prompt containing "approval" makes it ask `can_use_tool` for a Bash command and
// answer with the decision it got; any other prompt is answered with the prompts seen so far in
// the session. FAKE_CLAUDE_STATE names a folder where sessions are kept between processes.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";

const argv = process.argv.slice(2);
if (argv.includes("--version")) {
  process.stdout.write("2.1.329 (Claude Code)\n");
  process.exit(0);
}

const stateDir = process.env.FAKE_CLAUDE_STATE ?? join(process.env.TMPDIR ?? "/tmp", "fake-claude-state");
mkdirSync(stateDir, { recursive: true });
const resumeAt = argv.indexOf("--resume");
const sessionId = resumeAt === -1 ? randomUUID() : argv[resumeAt + 1];
const historyFile = join(stateDir, `${sessionId}.txt`);
const delayMs = Number(process.env.FAKE_CLAUDE_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const waiting = new Map();
let turns = 0;

function usage(input, output) {
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function assistant(text) {
  send({
    type: "assistant",
    message: { id: `msg_${randomUUID()}`, type: "message", role: "assistant", model: "claude-fake", content: [{ type: "text", text }], stop_reason: null, usage: usage(10, 5) },
    parent_tool_use_id: null,
    session_id: sessionId,
  });
}

function result(text) {
  send({
    type: "result",
    subtype: "success",
    is_error: false,
    result: text,
    session_id: sessionId,
    num_turns: 1,
    duration_ms: 5,
    total_cost_usd: 0.0001,
    stop_reason: "end_turn",
    usage: usage(10, 5),
  });
}

async function answer(prompt) {
  turns += 1;
  send({ type: "system", subtype: "init", cwd: process.cwd(), session_id: sessionId, tools: ["Bash"], model: "claude-fake", permissionMode: "default" });
  await sleep(delayMs);
  if (/approval/i.test(prompt)) {
    const requestId = `req_${turns}`;
    const decision = new Promise((resolve) => waiting.set(requestId, resolve));
    send({
      type: "control_request",
      request_id: requestId,
      request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: "rm -rf build", description: "Remove the build folder" }, tool_use_id: `toolu_${turns}` },
    });
    const response = await decision;
    await sleep(delayMs);
    const text = `The tool was ${response?.behavior === "allow" ? "allowed" : "denied"}.`;
    assistant(text);
    result(text);
    return;
  }
  const earlier = existsSync(historyFile) ? readFileSync(historyFile, "utf8").split("\n").filter(Boolean) : [];
  appendFileSync(historyFile, `${prompt}\n`);
  const text = `You said "${prompt}"${earlier.length > 0 ? `; before that: ${earlier.map((item) => `"${item}"`).join(", ")}` : "; this is the first turn"}.`;
  assistant(text);
  await sleep(delayMs);
  result(text);
}

const rl = createInterface({ input: process.stdin });
rl.on("line", (row) => {
  let message;
  try {
    message = JSON.parse(row);
  } catch {
    return;
  }
  if (message.type === "control_request" && message.request?.subtype === "initialize") {
    send({ type: "control_response", response: { subtype: "success", request_id: message.request_id, response: { commands: [] } } });
  } else if (message.type === "control_request" && message.request?.subtype === "interrupt") {
    send({ type: "control_response", response: { subtype: "success", request_id: message.request_id, response: {} } });
    result("interrupted");
  } else if (message.type === "control_response") {
    const resolve = waiting.get(message.response?.request_id);
    waiting.delete(message.response?.request_id);
    resolve?.(message.response?.response);
  } else if (message.type === "user") {
    const content = message.message?.content;
    const prompt = Array.isArray(content) ? content.map((block) => block.text ?? "").join("") : String(content ?? "");
    void answer(prompt);
  }
});
rl.on("close", () => process.exit(0));
