import { randomUUID } from "node:crypto";
import { accessSync, constants, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isAsmError, isNativeLine, isOutcomeEvent, type BackendEvent, type PermissionMode } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini, geminiOptionsSchema, geminiProfile } from "@asm/gemini";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MARKER_VAR } from "../src/claude-env.js";
import { commandLineOf, processesWithEnv, waitUntilGone, type ProcessRow } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { runCli, type CliRun } from "../src/run-cli.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
// The fake Gemini API comes from @asm/testkit. Imported by path until the testkit's index lists
// it; switch to `from "@asm/testkit"` then.
import { geminiCliEnv, geminiReplies, shellOutput, startFakeGemini, writeGeminiCliSettings, type FakeGeminiServer } from "@asm/testkit";
import { collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";

// The real `gemini` binary (@google/gemini-cli 0.61.0) against the fake Gemini API on loopback:
// first spawned directly with the argv/env the Gemini profile builds, its real stdout and exit
// code fed to the profile's parser; then driven through ASM (kernel + core lane + profile).

const PINNED_GEMINI_VERSION = "0.61.0";

/** The installed `gemini` entry point, or null when it is missing or not executable. */
function geminiCliPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@google/gemini-cli/package.json");
    const manifest = require(manifestPath) as { version?: string; bin?: Record<string, string> };
    if (manifest.version !== PINNED_GEMINI_VERSION) return null;
    const binary = join(dirname(manifestPath), manifest.bin?.gemini ?? "bundle/gemini.js");
    accessSync(binary, constants.X_OK);
    return binary;
  } catch (_error) {
    return null;
  }
}

const cliPath = geminiCliPath();
const gate = realCliGate("gemini", cliPath);

/** Why the kernel cannot run gemini on its core lane, or null when it can. */
async function coreLaneProblem(): Promise<string | null> {
  try {
    await createAsm({ providers: [gemini()] }).resolve("gemini", { lane: "core" });
    return null;
  } catch (error) {
    return `the kernel cannot run gemini on the core lane: ${error instanceof Error ? error.message : String(error)}`;
  }
}
const laneProblem = await coreLaneProblem();
const asmGate = requireAlso(gate, laneProblem === null, laneProblem ?? "");

/** One test's fake API, throwaway directories and process marker. */
interface GeminiHarness {
  api: FakeGeminiServer;
  dirs: ThrowawayDirs;
  env(extra?: Record<string, string>): Record<string, string>;
  leftovers(timeoutMs?: number): Promise<ProcessRow[]>;
  dispose(): Promise<ProcessRow[]>;
}

async function startHarness(): Promise<GeminiHarness> {
  const api = await startFakeGemini();
  const dirs = await createThrowawayDirs("asm-e2e-gemini-");
  await writeGeminiCliSettings(dirs.home, { maxAttempts: 1 });
  const marker = randomUUID();
  const find = (): ProcessRow[] => processesWithEnv(MARKER_VAR, marker);
  return {
    api,
    dirs,
    env: (extra = {}) => ({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...geminiCliEnv({ baseUrl: api.url, home: dirs.home, tmpdir: dirs.tmpDir }),
      [MARKER_VAR]: marker,
      ...extra,
    }),
    leftovers: (timeoutMs = 5_000) => waitUntilGone(find, timeoutMs),
    async dispose() {
      const left = await waitUntilGone(find, 5_000);
      for (const row of left) {
        try {
          process.kill(row.pid, "SIGKILL");
        } catch (_error) {
          // Already gone.
        }
      }
      await api.close();
      await dirs.cleanup();
      return left;
    },
  };
}

/** A direct run: the CLI's output and what the Gemini parser made of it. */
interface ParsedRun {
  run: CliRun;
  events: BackendEvent[];
  outcome: BackendEvent;
}

function kinds(events: readonly { kind: string }[]): string[] {
  return events.map((event) => event.kind);
}

function single<K extends BackendEvent["kind"]>(events: BackendEvent[], kind: K): Extract<BackendEvent, { kind: K }> {
  const found = events.filter((event): event is Extract<BackendEvent, { kind: K }> => event.kind === kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0] as Extract<BackendEvent, { kind: K }>;
}

describeRealCli("real gemini against the fake Gemini API, parsed by the Gemini profile", gate, () => {
  let harness: GeminiHarness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  /** Builds the invocation with the profile, runs the CLI to completion, and parses its output. */
  async function runParsed(
    prompt: string,
    input: {
      permissionMode?: PermissionMode;
      options?: Record<string, unknown>;
      continuation?: { strategy: "exact"; providerSessionId: string } | { strategy: "latest" };
      maxArgvPromptBytes?: number;
      env?: Record<string, string>;
    } = {},
  ): Promise<ParsedRun> {
    const invocation = geminiProfile.buildInvocation({
      prompt,
      // As the kernel hands them over: validated, defaults applied.
      options: geminiOptionsSchema.loose().parse(input.options ?? {}),
      maxArgvPromptBytes: input.maxArgvPromptBytes ?? 100_000,
      ...(input.permissionMode === undefined ? {} : { permissionMode: input.permissionMode }),
      ...(input.continuation === undefined ? {} : { continuation: input.continuation }),
    });
    // What the kernel does with `files`: write each one and put its path where its token is.
    const paths = new Map<string, string>();
    for (const file of invocation.files ?? []) {
      const path = join(harness.dirs.tmpDir, `run-file-${file.key}`);
      writeFileSync(path, file.content, { mode: 0o600 });
      paths.set(file.key, path);
    }
    const substitute = (value: string): string => value.replace(/\$\{file:([^}]*)\}/g, (_token, key: string) => paths.get(key) ?? _token);
    const invocationEnv = Object.fromEntries(
      Object.entries(invocation.env).flatMap(([key, value]) => (value === undefined ? [] : [[key, substitute(value)]])),
    );
    expect(invocation.closeStdin).toBe(true);
    const run = await runCli(cliPath as string, {
      args: invocation.args.map(substitute),
      cwd: harness.dirs.cwd,
      env: { ...harness.env(input.env), ...invocationEnv },
      ...(invocation.stdin === undefined ? {} : { stdin: invocation.stdin }),
      timeoutMs: 60_000,
    });
    expect(run.timedOut, run.stderr).toBe(false);
    const parser = geminiProfile.createParser({ provider: "gemini", reply: () => undefined });
    const events = run.stdout.split("\n").flatMap((line) => parser.line(line));
    const outcomeSeen = events.some(isOutcomeEvent);
    events.push(...parser.exit({ exitCode: run.exitCode, signal: run.signal, stderrTail: run.stderr.slice(-8192), outcomeSeen }));
    const outcomes = events.filter(isOutcomeEvent);
    expect(outcomes, `one outcome; stderr: ${run.stderr}`).toHaveLength(1);
    return { run, events, outcome: outcomes[0] as BackendEvent };
  }

  it("answers a text prompt with one streamGenerateContent call and no router call", async () => {
    const { run, events } = await runParsed("Say OK");
    expect(run.exitCode, run.stderr).toBe(0);
    // The init line announces the session (the kernel emits the run's one run_started); the CLI's
    // echo of the prompt is not an event.
    expect(kinds(events)).toEqual(["session_updated", "assistant_delta", "cost_update", "result"]);
    const started = single(events, "session_updated").payload;
    expect(started).toMatchObject({ model: "gemini-2.5-flash", providerSessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(events.every((event) => event.providerSessionId === started.providerSessionId)).toBe(true);
    expect(single(events, "result").payload).toMatchObject({ status: "success", text: "OK" });
    // The CLI's delta line has the layout the provider reads from text (a layout change in a
    // Gemini CLI update would still parse, and show up here).
    expect(isNativeLine(single(events, "assistant_delta").raw)).toBe(true);
    const cost = single(events, "cost_update").payload;
    expect(cost.inputTokens).toBeGreaterThan(0);
    expect(cost.costUsd).toBeGreaterThan(0);

    expect(harness.api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    ]);
    expect(harness.api.utilityCalls).toHaveLength(0);
    expect(harness.api.turns[0]).toMatchObject({ apiKey: "dummy-gemini-key" });
    expect(harness.api.turns[0]?.lastUserText).toContain("Say OK");
  });

  it("runs run_shell_command in bypass mode (--yolo) and sends the function response back", async () => {
    harness.api.respondWith(
      geminiReplies.shellThenText("echo hi", (results) => `The command printed: ${shellOutput(results[0]?.text ?? "")}`, {
        preface: "I will run a command.",
        description: "Print hi",
      }),
    );
    const { run, events } = await runParsed("Run echo hi in the shell", { permissionMode: "bypass" });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(kinds(events)).toEqual([
      "session_updated",
      "assistant_delta",
      "tool_use",
      "tool_result",
      "assistant_delta",
      "cost_update",
      "result",
    ]);
    const toolUse = single(events, "tool_use").payload;
    expect(toolUse).toMatchObject({ toolName: "run_shell_command", input: { command: "echo hi", description: "Print hi" } });
    expect(single(events, "tool_result").payload).toMatchObject({ toolCallId: toolUse.toolCallId, toolName: "run_shell_command", isError: false, content: "hi" });
    expect(single(events, "result").payload).toMatchObject({ text: "The command printed: hi", toolCalls: 1 });

    expect(harness.api.turns).toHaveLength(2);
    expect(harness.api.turns[0]?.toolNames).toContain("run_shell_command");
    expect(harness.api.turns[1]?.functionResponses).toEqual([expect.objectContaining({ name: "run_shell_command", isError: false })]);
    expect(shellOutput(harness.api.turns[1]?.functionResponses[0]?.text ?? "")).toBe("hi");
  });

  it("does not offer the shell in default mode; the refused call comes back as a failed tool result", async () => {
    harness.api.respondWith(geminiReplies.shellThenText("echo hi", (results) => `Tool result (is_error=${String(results[0]?.isError)})`));
    const { run, events } = await runParsed("Run echo hi in the shell", { permissionMode: "default" });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(harness.api.turns[0]?.toolNames).not.toContain("run_shell_command");
    expect(single(events, "tool_result").payload).toMatchObject({ isError: true, error: { type: "tool_not_registered" } });
    expect(single(events, "result").payload).toMatchObject({ text: "Tool result (is_error=true)" });
  });

  it("exits 145 on a 401 and the parser reports auth_error", async () => {
    harness.api.respondWith(() => geminiReplies.error(401));
    const { run, outcome } = await runParsed("Say OK");
    expect(run.exitCode).toBe(145);
    expect(run.events.at(-1)).toMatchObject({ type: "result", status: "error" });
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "auth_error", severity: "error", details: { httpStatus: 401 } } });
    expect(harness.api.turns).toHaveLength(1);
  });

  it("exits 244 on a 500 (maxAttempts 1: no retry) and the parser reports transport_error", async () => {
    harness.api.respondWith(() => geminiReplies.error(500));
    const { run, outcome } = await runParsed("Say OK");
    expect(run.exitCode).toBe(244);
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "transport_error", details: { httpStatus: 500 } } });
    expect(harness.api.turns).toHaveLength(1);
  });

  it("reports a 429 as rate_limit", async () => {
    harness.api.respondWith(() => geminiReplies.error(429));
    const { run, outcome } = await runParsed("Say OK");
    expect(run.exitCode).not.toBe(0);
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "rate_limit" } });
  });

  it("reports a stream dropped mid-answer as a terminal error, not a success", async () => {
    harness.api.respondWith(() => geminiReplies.dropMidStream("This answer is cut off after the first chunk"));
    const { run, events, outcome } = await runParsed("Say OK");
    expect(run.exitCode).toBe(1);
    // The first chunk arrived before the cut.
    expect(single(events, "assistant_delta").payload.content).toBe("This ans");
    expect(outcome).toMatchObject({ kind: "error", payload: { code: "connection_failed", message: expect.stringContaining("terminated") } });
  });

  it("resumes a session by id: same session id, and the model sees the earlier turn", async () => {
    const first = await runParsed("Say OK");
    const sessionId = single(first.events, "session_updated").payload.providerSessionId;
    harness.api.script((turn) => geminiReplies.text(`OK, resumed (I see ${turn.body.contents?.length ?? 0} contents)`));
    const second = await runParsed("Say OK again", { continuation: { strategy: "exact", providerSessionId: sessionId } });
    expect(second.run.exitCode, second.run.stderr).toBe(0);
    expect(single(second.events, "session_updated").payload.providerSessionId).toBe(sessionId);
    expect(single(second.events, "result").payload).toMatchObject({ text: "OK, resumed (I see 3 contents)" });
    const contents = harness.api.turns[1]?.body.contents ?? [];
    expect(JSON.stringify(contents)).toContain("Say OK");
    expect(contents.some((content) => content.role === "model")).toBe(true);

    const latest = await runParsed("Once more", { continuation: { strategy: "latest" } });
    expect(single(latest.events, "session_updated").payload.providerSessionId).toBe(sessionId);
  });

  it("reports an unknown session id as `not_found` (exit 42, nothing on stdout)", async () => {
    const { run, outcome } = await runParsed("Say OK", { continuation: { strategy: "exact", providerSessionId: randomUUID() } });
    expect(run.exitCode).toBe(42);
    expect(run.stdout).toBe("");
    expect(outcome.payload).toMatchObject({ code: "not_found", exitCode: 42 });
  });

  it("reads a prompt longer than maxArgvPromptBytes from stdin", async () => {
    const prompt = `Say OK. ${"padding ".repeat(40)}END-OF-PROMPT`;
    const { run, events } = await runParsed(prompt, { maxArgvPromptBytes: 64 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(events.filter((event) => event.kind === "result")).toHaveLength(1);
    // The whole prompt, not just the part that would have fit on the command line, reached the model.
    expect(harness.api.turns[0]?.lastUserText).toContain(prompt);
  });

  it("replaces the system prompt through GEMINI_SYSTEM_MD", async () => {
    const { run } = await runParsed("Say OK", { options: { systemPrompt: "You are a terse test assistant. SYSTEM-MARKER-7." } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(harness.api.turns[0]?.systemText).toContain("SYSTEM-MARKER-7");
    expect(harness.api.turns[0]?.systemText).not.toContain("You are a non-interactive CLI agent");
  });

  it("refuses an untrusted folder (exit 55, config_invalid) unless skipTrust is set", async () => {
    const untrusted = { GEMINI_CLI_TRUST_WORKSPACE: "" };
    const refused = await runParsed("Say OK", { env: untrusted });
    expect(refused.run.exitCode).toBe(55);
    expect(refused.outcome.payload).toMatchObject({ code: "config_invalid", message: expect.stringContaining("skipTrust") });
    expect(harness.api.requests).toHaveLength(0);
    const trusted = await runParsed("Say OK", { env: untrusted, options: { skipTrust: true } });
    expect(trusted.run.exitCode, trusted.run.stderr).toBe(0);
  });

  it("reports a missing API key as auth_error (exit 41, nothing on stdout)", async () => {
    const { run, outcome } = await runParsed("Say OK", { env: { GEMINI_API_KEY: "" } });
    expect(run.exitCode).toBe(41);
    expect(run.stdout).toBe("");
    expect(outcome.payload).toMatchObject({ code: "auth_error", exitCode: 41 });
  });
});

// ASM sessions, driven through the kernel's core lane.

describeRealCli("real gemini through ASM", asmGate, () => {
  let harness: GeminiHarness;
  let asm: Asm;

  beforeEach(async () => {
    harness = await startHarness();
    asm = createAsm({ providers: [gemini()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  function startSession(permissionMode: PermissionMode = "bypass") {
    return asm.startSession({ provider: "gemini", permissionMode, cwd: harness.dirs.cwd, cliPath: cliPath as string, env: harness.env() });
  }

  it("starts the Gemini session under cliSessionId, while sessionId names the ASM session", async () => {
    const geminiSessionId = randomUUID();
    const session = await asm.startSession({
      provider: "gemini",
      permissionMode: "bypass",
      cwd: harness.dirs.cwd,
      cliPath: cliPath as string,
      env: harness.env(),
      sessionId: "asm-session-for-gemini",
      cliSessionId: geminiSessionId,
    });
    expect(session.id).toBe("asm-session-for-gemini");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(ofKind(events, "result")[0]?.providerSessionId).toBe(geminiSessionId);
    expect(events.every((event) => event.sessionId === "asm-session-for-gemini")).toBe(true);
  });

  it("streams a text answer, then resumes the Gemini session on the next prompt", async () => {
    const session = await startSession();
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(ofKind(events, "assistant_delta").map((event) => event.payload.content).join("")).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    const providerSessionId = result?.providerSessionId;
    expect(providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ofKind(events, "cost_update")[0]?.payload.costUsd).toBeGreaterThan(0);
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("completed");

    harness.api.script((turn) => geminiReplies.text(`OK again (${turn.body.contents?.length ?? 0} contents)`));
    const second = await collectEvents(session.stream("Say OK again"));
    expectWellFormedRun(second);
    expect(ofKind(second, "result")[0]?.payload.text).toBe("OK again (3 contents)");
    expect(ofKind(second, "result")[0]?.providerSessionId).toBe(providerSessionId);
  });

  it("runs a shell tool call in bypass mode", async () => {
    harness.api.respondWith(geminiReplies.shellThenText("echo hi", (results) => `The command printed: ${shellOutput(results[0]?.text ?? "")}`));
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Run echo hi in the shell"));
    expectWellFormedRun(events);
    expect(ofKind(events, "tool_use")[0]?.payload).toMatchObject({ toolName: "run_shell_command", input: { command: "echo hi" } });
    expect(ofKind(events, "tool_result")[0]?.payload).toMatchObject({ isError: false, content: "hi" });
    expect(ofKind(events, "result")[0]?.payload.text).toBe("The command printed: hi");
  });

  it("rejects with auth_error on a 401", async () => {
    harness.api.respondWith(() => geminiReplies.error(401));
    const session = await startSession();
    const failure = await session.query("Say OK").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "auth_error" });
  });

  it("ends with a terminal transport_error on a 500", async () => {
    harness.api.respondWith(() => geminiReplies.error(500));
    const session = await startSession();
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "transport_error" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("failed");
  });

  it("keeps the prompt off every command line while the run is in flight (ps, /proc/<pid>/cmdline)", async () => {
    harness.api.respondWith(() => geminiReplies.hang());
    const session = await startSession();
    const prompt = `Say OK, secret prompt ${randomUUID()}`;
    const stream = session.stream(prompt);
    let seen: Array<{ pid: number; cmdline: string }> = [];
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "session_updated" || seen.length > 0) return;
      await harness.api.waitForRequests(1);
      seen = (await harness.leftovers(0)).map((row) => ({ pid: row.pid, cmdline: commandLineOf(row.pid) }));
      await asm.interrupt(stream.runId);
    });
    expectWellFormedRun(events);
    // The CLI got the prompt (the model request carries it), yet no process shows it.
    expect(JSON.stringify(harness.api.requests)).toContain(prompt);
    expect(seen.filter((entry) => entry.cmdline !== "").length, "the CLI's processes while in flight").toBeGreaterThan(0);
    for (const entry of seen) expect(entry.cmdline, `pid ${entry.pid}`).not.toContain("secret prompt");
    expect(await harness.leftovers(10_000)).toEqual([]);
  });

  it("interrupts a run waiting on the model and leaves no process behind", async () => {
    harness.api.respondWith(() => geminiReplies.hang());
    const session = await startSession();
    const stream = session.stream("Say OK");
    let interrupted = false;
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "session_updated" || interrupted) return;
      interrupted = true;
      await harness.api.waitForRequests(1);
      await asm.interrupt(stream.runId);
    });
    expect(interrupted).toBe(true);
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "user_cancelled" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("interrupted");
    expect(await harness.leftovers(10_000)).toEqual([]);
  });
});
