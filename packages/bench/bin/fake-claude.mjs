#!/usr/bin/env node
// A fake `claude` for the benchmarks. It speaks enough of Claude Code's stdio protocol
// (`--input-format stream-json --output-format stream-json`) for both ASM's core lane and the
// Claude Agent SDK's query(): it answers `initialize` and every other control request, waits for
// the `user` line, writes its output, and exits 0 once its output is written and stdin has ended.
//
// BENCH_FAKE_MODE selects the output:
//   stream  the bytes of BENCH_STREAM_FILE (a prepared line set ending in a `result` line), as fast
//           as the pipe takes them;
//   paced   BENCH_PACED_COUNT `stream_event` text deltas at BENCH_PACED_RATE lines per second, each
//           stamped with `bench_sent_ms` (wall-clock milliseconds, microsecond resolution:
//           performance.timeOrigin + performance.now()), then a `result`;
//   minimal `system/init`, one `assistant` text message, a `result`.
// Any argument list is accepted; `--version` prints the pinned Claude Code version.
import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

const VERSION = "2.1.329";
const SESSION_ID = "5b1f6f4e-0d7c-4c39-9a51-bench0000001";

if (process.argv.includes("--version")) {
  process.stdout.write(`${VERSION} (Claude Code)\n`);
  process.exit(0);
}

const env = process.env;
const mode = env.BENCH_FAKE_MODE ?? "minimal";

let outputDone = false;
let inputEnded = false;
let started = false;

function write(text) {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

function maybeExit() {
  if (!inputEnded || (started && !outputDone)) return;
  process.stdout.write("", () => process.exit(0));
}

const initLine = () =>
  JSON.stringify({
    type: "system",
    subtype: "init",
    cwd: process.cwd(),
    session_id: SESSION_ID,
    tools: ["Bash", "Edit", "Read", "Write"],
    mcp_servers: [],
    model: "claude-opus-5-5",
    permissionMode: "default",
    apiKeySource: "none",
    claude_code_version: VERSION,
    output_style: "default",
    uuid: "00000000-0000-4000-8000-000000000001",
  });

const assistantLine = (text) =>
  JSON.stringify({
    type: "assistant",
    message: {
      id: "msg_bench_1",
      type: "message",
      role: "assistant",
      model: "claude-opus-5-5",
      content: [{ type: "text", text }],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
    parent_tool_use_id: null,
    session_id: SESSION_ID,
    uuid: "00000000-0000-4000-8000-000000000002",
  });

const resultLine = (text) =>
  JSON.stringify({
    type: "result",
    subtype: "success",
    is_error: false,
    result: text,
    num_turns: 1,
    duration_ms: 1,
    duration_api_ms: 1,
    total_cost_usd: 0.0001,
    usage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    modelUsage: {},
    permission_denials: [],
    stop_reason: "end_turn",
    terminal_reason: "completed",
    session_id: SESSION_ID,
    uuid: "00000000-0000-4000-8000-000000000003",
  });

function deltaLine(index, sentMs) {
  return JSON.stringify({
    type: "stream_event",
    event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `token ${index} ` } },
    session_id: SESSION_ID,
    parent_tool_use_id: null,
    uuid: `00000000-0000-4000-9000-${String(index).padStart(12, "0")}`,
    api_message_id: "msg_bench_1",
    bench_seq: index,
    bench_sent_ms: sentMs,
  });
}

const wallMs = () => performance.timeOrigin + performance.now();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

// Waits until `target` (performance.now() ms): a futex sleep for most of it, a spin for the rest,
// so a 100 µs interval is kept without burning a core on long gaps.
function waitUntil(target) {
  for (;;) {
    const left = target - performance.now();
    if (left <= 0) return;
    if (left > 0.2) Atomics.wait(sleeper, 0, 0, left - 0.1);
  }
}

async function emitPaced() {
  const count = Number(env.BENCH_PACED_COUNT ?? 1000);
  const rate = Number(env.BENCH_PACED_RATE ?? 1000);
  const interval = 1000 / rate;
  await write(`${initLine()}\n`);
  const start = performance.now() + 1;
  for (let index = 0; index < count; index += 1) {
    waitUntil(start + index * interval);
    const text = `${deltaLine(index, wallMs())}\n`;
    if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
  await write(`${resultLine("done")}\n`);
}

function emitStream() {
  return new Promise((resolve, reject) => {
    const file = env.BENCH_STREAM_FILE;
    if (!file) {
      reject(new Error("BENCH_STREAM_FILE is not set"));
      return;
    }
    const source = createReadStream(file, { highWaterMark: 256 * 1024 });
    source.on("error", reject);
    source.on("end", resolve);
    source.pipe(process.stdout, { end: false });
  });
}

async function emitMinimal() {
  await write(`${initLine()}\n${assistantLine("OK")}\n${resultLine("OK")}\n`);
}

async function runTurn() {
  started = true;
  if (mode === "stream") await emitStream();
  else if (mode === "paced") await emitPaced();
  else await emitMinimal();
  outputDone = true;
  maybeExit();
}

const initializeResponse = {
  commands: [],
  agents: [],
  output_style: "default",
  available_output_styles: ["default"],
  models: [],
  account: {},
  claude_code_version: VERSION,
};

const input = createInterface({ input: process.stdin });
input.on("line", (text) => {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  if (message.type === "control_request") {
    const response = message.request?.subtype === "initialize" ? initializeResponse : {};
    process.stdout.write(
      `${JSON.stringify({ type: "control_response", response: { subtype: "success", request_id: message.request_id, response } })}\n`,
    );
    return;
  }
  if (message.type === "user" && !started) {
    runTurn().catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  }
});
input.on("close", () => {
  inputEnded = true;
  maybeExit();
});
