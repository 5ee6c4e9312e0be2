#!/usr/bin/env node
// A fake provider CLI for tests: it speaks the JSONL dialect of the test profile
// (`{"type":"text"}`, `{"type":"result"}`, …) and misbehaves on request. The mode comes from
// FAKE_CLI_MODE (or `--mode <name>`); other FAKE_CLI_* variables tune it. `--version` always
// prints FAKE_CLI_VERSION (default 1.2.3) and exits.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const env = process.env;
const argv = process.argv.slice(2);

function argValue(name) {
  const index = argv.indexOf(name);
  return index === -1 ? undefined : argv[index + 1];
}

const mode = argValue("--mode") ?? env.FAKE_CLI_MODE ?? "replay";
const delayMs = Number(env.FAKE_CLI_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function write(text) {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

const line = (value) => write(`${JSON.stringify(value)}\n`);

function exitCode(fallback) {
  if (env.FAKE_CLI_EXIT_CODE !== undefined) return Number(env.FAKE_CLI_EXIT_CODE);
  if (env.FAKE_CLI_EXIT_FILE !== undefined) return Number(readFileSync(env.FAKE_CLI_EXIT_FILE, "utf8").trim());
  return fallback;
}

// Resolves once everything written so far has been handed to the pipe (piped stdout is
// asynchronous on POSIX, and process.exit() would drop what is still queued).
function flush() {
  return new Promise((resolve) => process.stdout.write("", () => resolve()));
}

async function finish(code) {
  await flush();
  process.exit(code);
}

function keepAlive() {
  setInterval(() => undefined, 1 << 30);
}

if (argv.includes("--version") || mode === "version") {
  if (env.FAKE_CLI_VERSION_LOG) appendFileSync(env.FAKE_CLI_VERSION_LOG, "version\n");
  process.stdout.write(`fake-cli ${env.FAKE_CLI_VERSION ?? "1.2.3"}\n`);
  process.exit(0);
}

if (env.FAKE_CLI_STDERR_TEXT) process.stderr.write(env.FAKE_CLI_STDERR_TEXT);
if (env.FAKE_CLI_PID_FILE) appendFileSync(env.FAKE_CLI_PID_FILE, `${process.pid}\n`);

const modes = {
  // Writes a recorded stdout file line by line, then its stderr file and exit code.
  async replay() {
    const transcript = env.FAKE_CLI_TRANSCRIPT;
    const text = transcript ? readFileSync(transcript, "utf8") : "";
    for (const row of text.split("\n")) {
      if (row === "") continue;
      if (delayMs > 0) await sleep(delayMs);
      await write(`${row}\n`);
    }
    if (env.FAKE_CLI_STDERR) process.stderr.write(readFileSync(env.FAKE_CLI_STDERR, "utf8"));
    // Like Claude in stream-json input mode: stay alive after the result until stdin closes.
    if (env.FAKE_CLI_STAY_ALIVE === "1") {
      process.stdin.resume();
      process.stdin.on("end", () => void finish(exitCode(0)));
      return;
    }
    await finish(exitCode(0));
  },

  // Writes some lines, then dies: by a signal (FAKE_CLI_CRASH_SIGNAL) or with an exit code (137).
  async crash() {
    const count = Number(env.FAKE_CLI_LINES ?? 2);
    for (let index = 0; index < count; index += 1) {
      if (delayMs > 0) await sleep(delayMs);
      await line({ type: "text", text: `line ${index}` });
    }
    await flush();
    if (env.FAKE_CLI_CRASH_SIGNAL) process.kill(process.pid, env.FAKE_CLI_CRASH_SIGNAL);
    else process.exit(exitCode(137));
  },

  // Prints nothing and never exits.
  async hang() {
    if (env.FAKE_CLI_HANG_AFTER_TEXT) await line({ type: "text", text: env.FAKE_CLI_HANG_AFTER_TEXT });
    keepAlive();
  },

  // Non-JSON lines between valid ones, then a result.
  async garbage() {
    await write("this is not json\n");
    await line({ type: "text", text: "valid" });
    await write("{\"type\": \"text\", \"text\": \"unterminated\n");
    await write("<html>502 Bad Gateway</html>\n");
    await line({ type: "result", text: "done after garbage" });
    await finish(exitCode(0));
  },

  // One huge text line (FAKE_CLI_HUGE_BYTES, default 10 MB), then a result.
  async "huge-line"() {
    const bytes = Number(env.FAKE_CLI_HUGE_BYTES ?? 10 * 1024 * 1024);
    await line({ type: "text", text: "x".repeat(bytes) });
    await line({ type: "result", text: "after huge line" });
    await finish(exitCode(0));
  },

  // Starts a grandchild that inherits stdout and sleeps, reports its pid, prints a result, then
  // exits (or stays alive with FAKE_CLI_STAY_ALIVE=1). FAKE_CLI_NO_RESULT=1 leaves out the result;
  // FAKE_CLI_GRANDCHILD_NEW_SESSION=1 starts the grandchild in a session (and group) of its own.
  async grandchild() {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
      stdio: ["ignore", "inherit", "inherit"],
      detached: env.FAKE_CLI_GRANDCHILD_NEW_SESSION === "1",
    });
    child.unref();
    await line({ type: "text", text: `grandchild ${child.pid}` });
    if (env.FAKE_CLI_NO_RESULT !== "1") await line({ type: "result", text: "done with grandchild" });
    if (env.FAKE_CLI_STAY_ALIVE === "1") keepAlive();
    else await finish(exitCode(0));
  },

  // Ignores SIGTERM; prints a line (and a result with FAKE_CLI_EMIT_RESULT=1), then never exits.
  async "ignore-sigterm"() {
    process.on("SIGTERM", () => undefined);
    await line({ type: "text", text: "ignoring SIGTERM" });
    if (env.FAKE_CLI_EMIT_RESULT === "1") await line({ type: "result", text: "done, but staying" });
    keepAlive();
  },

  // Answers stdin lines. {"type":"user","text":T} → text "echo: T" ("finish" also ends the turn
  // with a result); {"type":"approval_response",…} → result naming the decision;
  // {"type":"interrupt"} → error user_cancelled; any other line → text "echo: <line>".
  // FAKE_CLI_APPROVAL_ID asks for an approval first. EOF → exit 0. SIGINT → error and exit 130.
  async "stdin-echo"() {
    process.on("SIGINT", () => {
      void line({ type: "error", message: "interrupted by SIGINT", code: "user_cancelled" }).then(() => finish(130));
    });
    await line({ type: "text", text: "ready" });
    if (env.FAKE_CLI_APPROVAL_ID) {
      await line({ type: "approval", id: env.FAKE_CLI_APPROVAL_ID, tool: "Bash", input: { command: "echo hi" } });
    }
    const rl = createInterface({ input: process.stdin });
    rl.on("line", (text) => {
      let message = null;
      try {
        message = JSON.parse(text);
      } catch {
        message = null;
      }
      if (message?.type === "user") {
        void line({ type: "text", text: `echo: ${message.text}` });
        if (message.text === "finish") void line({ type: "result", text: "finished" });
      } else if (message?.type === "approval_response") {
        void line({ type: "result", text: `approval ${message.id}: ${message.decision}` });
      } else if (message?.type === "interrupt") {
        void line({ type: "error", message: "interrupted", code: "user_cancelled" });
      } else {
        void line({ type: "text", text: `echo: ${text}` });
      }
    });
    rl.on("close", () => void finish(exitCode(0)));
  },

  // FAKE_CLI_LINES numbered text lines (default 10000) as fast as the pipe takes them, then a result.
  async flood() {
    const count = Number(env.FAKE_CLI_LINES ?? 10_000);
    const padding = "p".repeat(Number(env.FAKE_CLI_PADDING ?? 100));
    for (let index = 0; index < count; index += 1) {
      await line({ type: "text", text: `${index} ${padding}` });
    }
    await line({ type: "result", text: `flooded ${count}` });
    await finish(exitCode(0));
  },

  // Reports how it was started (argv, cwd, selected env, the content of file arguments, stdin).
  async inspect() {
    let stdin = null;
    if (env.FAKE_CLI_READ_STDIN === "1") {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      stdin = Buffer.concat(chunks).toString("utf8");
    }
    const files = {};
    for (const arg of argv) {
      try {
        files[arg] = readFileSync(arg, "utf8");
      } catch {
        // Not a file.
      }
    }
    const names = (env.FAKE_CLI_SHOW_ENV ?? "").split(",").filter(Boolean);
    const shown = Object.fromEntries(names.map((name) => [name, env[name] ?? null]));
    // Variables may name files too (a system prompt file passed through the environment).
    for (const value of Object.values(shown)) {
      if (typeof value !== "string" || value in files) continue;
      try {
        files[value] = readFileSync(value, "utf8");
      } catch {
        // Not a file.
      }
    }
    const report = { argv, cwd: process.cwd(), env: shown, files, stdin, pid: process.pid };
    await line({ type: "text", text: JSON.stringify(report) });
    if (env.FAKE_CLI_STAY_ALIVE === "1") {
      keepAlive();
      return;
    }
    await line({ type: "result", text: "inspected" });
    await finish(exitCode(0));
  },
};

const run = modes[mode];
if (run === undefined) {
  process.stderr.write(`fake-cli: unknown mode ${mode}\n`);
  process.exit(2);
}
await run();
