import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { codex, codexOptionsSchema, codexProfile, type CodexProfileOptions } from "@asm/codex";
import {
  isAsmError,
  isOutcomeEvent,
  payloadSchemas,
  type AsmEvent,
  type BackendEvent,
  type InvocationInput,
} from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeCodexConfigToml, openAIResponsesReplies as replies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { commandLineOf, processesWithEnv, waitUntilGone, type ProcessRow } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { runCli, type CliRun } from "../src/run-cli.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { collectEvents, expectWellFormedRun } from "../src/asm-events.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// The real `codex` binary (0.169.0) against the fake OpenAI Responses server. First spawned
// directly with argv from the Codex profile's buildInvocation, its real stdout fed to the Codex
// parser; then driven through ASM (kernel + core lane + Codex profile).

const MARKER_VAR = "ASM_E2E_MARKER";
const API_KEY = "dummy";

const cliPath = pinnedCodexPath();
const gate = realCliGate("codex", cliPath);

/** A fake API, throwaway HOME/CODEX_HOME/TMPDIR/cwd, and a marker on every process of one test. */
interface CodexHarness {
  api: FakeOpenAIResponsesServer;
  dirs: ThrowawayDirs;
  codexHome: string;
  env: Record<string, string>;
  leftovers(timeoutMs?: number): Promise<ProcessRow[]>;
  dispose(): Promise<ProcessRow[]>;
}

async function startHarness(options: { retries?: number } = {}): Promise<CodexHarness> {
  const api = await startFakeOpenAIResponses({ apiKey: API_KEY });
  const dirs = await createThrowawayDirs("asm-e2e-codex-");
  const codexHome = join(dirs.home, ".codex");
  await mkdir(codexHome, { recursive: true });
  await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: options.retries ?? 0 }));
  const marker = randomUUID();
  const find = () => processesWithEnv(MARKER_VAR, marker);
  return {
    api,
    dirs,
    codexHome,
    env: {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      HOME: dirs.home,
      CODEX_HOME: codexHome,
      TMPDIR: dirs.tmpDir,
      FAKE_OPENAI_API_KEY: API_KEY,
      NO_COLOR: "1",
      RUST_LOG: "warn",
      [MARKER_VAR]: marker,
    },
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

type Event = BackendEvent & { payload: Record<string, unknown> };

interface ParsedRun {
  run: CliRun;
  events: Event[];
  args: string[];
}

/**
 * Builds argv/env/stdin with the Codex profile, writes `Invocation.files` the way the kernel does
 * (0600, `${file:key}` replaced by the path), runs the real binary, and replays its stdout,
 * stderr and exit through the Codex parser.
 */
async function runCodex(
  harness: CodexHarness,
  prompt: string,
  input: Partial<Omit<InvocationInput, "options">> & { options?: Record<string, unknown> } = {},
): Promise<ParsedRun> {
  const { options = { skipGitRepoCheck: true }, ...rest } = input;
  // The options as the kernel hands them to the profile: validated, then normalized once.
  const invocationInput: InvocationInput<CodexProfileOptions> = {
    prompt,
    options: codex().normalizeOptions!(codexOptionsSchema.loose().parse(options)),
    maxArgvPromptBytes: 100_000,
    ...rest,
  };
  const invocation = codexProfile.buildInvocation(invocationInput);
  let args = invocation.args;
  for (const file of invocation.files ?? []) {
    const path = join(harness.dirs.tmpDir, `${file.key}-${randomUUID()}.json`);
    await writeFile(path, file.content, { mode: 0o600 });
    args = args.map((arg) => arg.replaceAll(`\${file:${file.key}}`, path));
  }
  const env = { ...harness.env };
  for (const [key, value] of Object.entries(invocation.env)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  expect(invocation.closeStdin).toBe(true);
  const run = await runCli(cliPath as string, {
    args,
    env,
    cwd: harness.dirs.cwd,
    // An empty stdin closed at once, as the kernel does; the prompt when it is too long for argv.
    stdin: invocation.stdin ?? "",
    timeoutMs: 60_000,
  });
  expect(run.timedOut, "codex timed out").toBe(false);
  const parser = codexProfile.createParser({ provider: "codex", reply: () => undefined, input: invocationInput });
  const events: BackendEvent[] = [];
  for (const line of run.stdout.split("\n")) events.push(...parser.line(line));
  events.push(...parser.stderr(run.stderr));
  const outcomeSeen = events.some(isOutcomeEvent);
  events.push(...parser.exit({ exitCode: run.exitCode, signal: run.signal, stderrTail: run.stderr, outcomeSeen }));
  for (const event of events) expect(payloadSchemas[event.kind].safeParse(event.payload).success, JSON.stringify(event)).toBe(true);
  expect(events.filter(isOutcomeEvent), "exactly one outcome").toHaveLength(1);
  return { run, events: events, args };
}

/** The kinds decoded from stdout and the exit (stderr chunks vary from run to run: log lines). */
const kinds = (events: Event[]) => events.filter((event) => event.kind !== "stderr").map((event) => event.kind);
const ofKind = (events: Event[], kind: string) => events.filter((event) => event.kind === kind).map((event) => event.payload);
const threadOf = (events: Event[]) => String(ofKind(events, "session_updated")[0]?.providerSessionId);

describeRealCli("real codex against the fake OpenAI Responses server, parsed by the Codex profile", gate, () => {
  let harness: CodexHarness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  it("answers a text prompt: session, message, cumulative cost, result; only POST /v1/responses", async () => {
    const { run, events } = await runCodex(harness, "Say OK", { options: { skipGitRepoCheck: true, model: "gpt-5.5" } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(kinds(events)).toEqual(["session_updated", "assistant_message", "cost_update", "result"]);
    expect(threadOf(events)).toMatch(/^[0-9a-f-]{36}$/);
    for (const event of events) expect(event.providerSessionId).toBe(threadOf(events));
    expect(ofKind(events, "cost_update")[0]).toMatchObject({ mode: "cumulative", inputTokens: 10, outputTokens: 5, costUsd: 10 * 5e-6 + 5 * 30e-6 });
    expect(ofKind(events, "result")[0]).toMatchObject({ status: "success", text: "OK" });
    expect(harness.api.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/responses"]);
    const [turn] = harness.api.turns;
    expect(turn?.request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(turn?.body).toMatchObject({ model: "gpt-5.5", stream: true });
    expect(turn?.lastUserText).toBe("Say OK");
  });

  it("runs a shell tool call in bypass mode and sends its output back", async () => {
    harness.api.respondWith(replies.shellThenText("echo hi", (outputs) => `The command printed: ${outputs[0]?.output.includes("hi") === true ? "hi" : "?"}`));
    const { run, events, args } = await runCodex(harness, "Run echo hi in the shell", { permissionMode: "bypass" });
    expect(args).toContain("--dangerously-bypass-approvals-and-sandbox");
    expect(run.exitCode, run.stderr).toBe(0);
    expect(kinds(events)).toEqual(["session_updated", "tool_use", "tool_result", "assistant_message", "cost_update", "result"]);
    const [use] = ofKind(events, "tool_use");
    const [result] = ofKind(events, "tool_result");
    expect(use).toMatchObject({ toolName: "Bash", input: { command: expect.stringContaining("echo hi") } });
    expect(result).toMatchObject({ toolCallId: use?.toolCallId, toolName: "Bash", content: "hi\n", isError: false, exitCode: 0 });
    expect(ofKind(events, "result")[0]?.text).toBe("The command printed: hi");
    expect(harness.api.turns).toHaveLength(2);
    expect(harness.api.turns[1]?.continuingAfterTool).toBe(true);
    expect(harness.api.turns[1]?.toolOutputs[0]?.output).toContain("hi");
  });

  it("classifies a 401 as auth_error", async () => {
    harness.api.respondWith(() => replies.error(401));
    const { run, events } = await runCodex(harness, "Say OK");
    expect(run.exitCode).toBe(1);
    expect(kinds(events)).toEqual(["session_updated", "warning", "error"]);
    expect(ofKind(events, "error")[0]).toMatchObject({ code: "auth_error", severity: "error", message: expect.stringContaining("401") });
    expect(harness.api.turns).toHaveLength(1);
  });

  it("classifies a 500 as a retryable transport_error", async () => {
    harness.api.respondWith(() => replies.error(500));
    const { run, events } = await runCodex(harness, "Say OK");
    expect(run.exitCode).toBe(1);
    expect(ofKind(events, "error")[0]).toMatchObject({ code: "transport_error", retryable: true, severity: "error" });
  });

  it("resumes the exact thread, then the latest one, with thread-cumulative usage", async () => {
    const first = await runCodex(harness, "Say OK");
    const thread = threadOf(first.events);
    harness.api.script(replies.text("Resumed OK"));
    const second = await runCodex(harness, "Say it again", { continuation: { strategy: "exact", providerSessionId: thread } });
    expect(second.run.exitCode, second.run.stderr).toBe(0);
    expect(second.args).toEqual(expect.arrayContaining(["resume", "--", thread, "-"]));
    expect(threadOf(second.events)).toBe(thread);
    expect(ofKind(second.events, "result")[0]?.text).toBe("Resumed OK");
    expect(ofKind(second.events, "cost_update")[0]).toMatchObject({ mode: "cumulative", inputTokens: 20, outputTokens: 10 });
    const conversation = JSON.stringify(harness.api.turns[1]?.input);
    expect(conversation).toContain("Say OK");
    expect(harness.api.turns[1]?.lastUserText).toBe("Say it again");

    const third = await runCodex(harness, "And once more", { continuation: { strategy: "latest" } });
    expect(third.run.exitCode, third.run.stderr).toBe(0);
    expect(third.args).toEqual(expect.arrayContaining(["resume", "--last"]));
    expect(threadOf(third.events)).toBe(thread);
    expect(ofKind(third.events, "cost_update")[0]).toMatchObject({ inputTokens: 30 });
  });

  it("passes the output schema file, system prompt and reasoning effort, and decodes the structured output", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    harness.api.script(replies.text('{"answer":"OK"}'));
    const { run, events } = await runCodex(harness, "Answer as JSON", {
      options: { skipGitRepoCheck: true, outputSchema: schema, systemPrompt: "Answer tersely.", reasoningEffort: "high" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(ofKind(events, "result")[0]).toMatchObject({ text: '{"answer":"OK"}', structuredOutput: { answer: "OK" } });
    const body = harness.api.turns[0]?.body;
    expect(body?.text).toMatchObject({ format: { type: "json_schema", schema } });
    expect(body?.reasoning).toMatchObject({ effort: "high" });
    const developer = JSON.stringify(harness.api.turns[0]?.input.filter((item) => item.role === "developer"));
    expect(developer).toContain("Answer tersely.");
  });

  it("sends a prompt longer than the argv limit on stdin", async () => {
    const prompt = `Long prompt: ${"lorem ipsum ".repeat(50)}- the end`;
    const { run, events, args } = await runCodex(harness, prompt, { maxArgvPromptBytes: 64 });
    expect(args.at(-1)).toBe("-");
    expect(run.exitCode, run.stderr).toBe(0);
    expect(ofKind(events, "result")[0]?.text).toBe("OK");
    expect(harness.api.turns[0]?.lastUserText).toBe(prompt);
  });

  it("reports a reconnect that then succeeds as a warning, not a failure", async () => {
    await harness.dispose();
    harness = await startHarness({ retries: 2 });
    harness.api.script(replies.dropMidStream("This answer is cut"), replies.text("OK after reconnect"));
    const { run, events } = await runCodex(harness, "Say OK");
    expect(run.exitCode, run.stderr).toBe(0);
    expect(ofKind(events, "warning")).toEqual([expect.objectContaining({ code: "reconnecting", details: { attempt: 1, maxAttempts: 2 } })]);
    expect(ofKind(events, "result")[0]?.text).toBe("OK after reconnect");
    expect(harness.api.turns).toHaveLength(2);
  });

  it("reaches a local OSS server through the Ollama options (CODEX_OSS_BASE_URL, no --model)", async () => {
    // A local server takes no API key: a server of its own, without the key check.
    const local = await startFakeOpenAIResponses({ ollama: {}, replies: [replies.text("OK from the local model")] });
    try {
      const { run, events, args } = await runCodex(harness, "Say OK", { options: { skipGitRepoCheck: true, ollama: true, ollamaBaseUrl: local.url } });
      expect(args).not.toContain("--model");
      expect(run.exitCode, run.stderr).toBe(0);
      expect(ofKind(events, "warning")).toEqual([expect.objectContaining({ code: "provider_warning", message: expect.stringContaining("gpt-oss:20b") })]);
      expect(ofKind(events, "result")[0]).toMatchObject({ text: "OK from the local model", costUsd: null });
      expect(local.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/responses"]);
      expect(local.turns[0]?.body.model).toBe("gpt-oss:20b");
      expect(harness.api.requests).toHaveLength(0);
    } finally {
      await local.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Through ASM.

async function coreLaneProblem(): Promise<string | null> {
  try {
    await createAsm({ providers: [codex()] }).resolve("codex", { lane: "core" });
    return null;
  } catch (error) {
    return `the kernel cannot run codex on the core lane: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const laneProblem = await coreLaneProblem();
const asmGate = requireAlso(gate, laneProblem === null, laneProblem ?? "");

/** The kinds of a run without the kernel's own `raw` invocation record and stderr chunks (log lines vary). */
function parsedKinds(events: AsmEvent[]): string[] {
  return events.filter((event) => event.kind !== "stderr" && !(event.kind === "raw" && event.payload.stream === "sdk")).map((event) => event.kind);
}

function ofAsmKind<K extends AsmEvent["kind"]>(events: AsmEvent[], kind: K): Array<Extract<AsmEvent, { kind: K }>> {
  return events.filter((event): event is Extract<AsmEvent, { kind: K }> => event.kind === kind);
}

describeRealCli("real codex through ASM", asmGate, () => {
  let harness: CodexHarness;
  let asm: Asm;

  beforeEach(async () => {
    harness = await startHarness();
    asm = createAsm({ providers: [codex()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  function startSession(permissionMode: "bypass" | "default" = "bypass") {
    return asm.startSession({
      provider: "codex",
      permissionMode,
      cwd: harness.dirs.cwd,
      env: harness.env,
      cliPath: cliPath as string,
      skipGitRepoCheck: true,
      model: "gpt-5.5",
    });
  }

  it("streams a text answer, then continues the same thread on the next prompt", async () => {
    const session = await startSession();
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(parsedKinds(events)).toEqual(["run_started", "session_updated", "assistant_message", "cost_update", "result", "run_completed"]);
    const result = ofAsmKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ofAsmKind(events, "cost_update")[0]?.payload).toMatchObject({ mode: "cumulative", inputTokens: 10, outputTokens: 5 });
    expect(ofAsmKind(events, "run_completed")[0]?.payload.status).toBe("completed");

    harness.api.script(replies.text("OK again"));
    const second = await session.query("Say OK again");
    expect(second.status).toBe("completed");
    expect(second.text).toBe("OK again");
    expect(second.providerSessionId).toBe(result?.providerSessionId);
    expect(JSON.stringify(harness.api.turns[1]?.input)).toContain("Say OK");
    expect(harness.api.turns[1]?.lastUserText).toBe("Say OK again");
  });

  it("runs a shell tool call in bypass mode", async () => {
    harness.api.respondWith(replies.shellThenText("echo hi", "The command printed: hi"));
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Run echo hi in the shell"));
    expectWellFormedRun(events);
    expect(parsedKinds(events)).toEqual([
      "run_started",
      "session_updated",
      "tool_use",
      "tool_result",
      "assistant_message",
      "cost_update",
      "result",
      "run_completed",
    ]);
    const thread = ofAsmKind(events, "session_updated")[0]?.payload.providerSessionId;
    for (const event of events.filter((entry) => !["run_started", "raw", "stderr"].includes(entry.kind))) expect(event.providerSessionId).toBe(thread);
    const use = ofAsmKind(events, "tool_use")[0];
    expect(use?.payload).toMatchObject({ toolName: "Bash", input: { command: expect.stringContaining("echo hi") } });
    expect(ofAsmKind(events, "tool_result")[0]?.payload).toMatchObject({ toolCallId: use?.payload.toolCallId, content: "hi\n", isError: false });
    expect(ofAsmKind(events, "result")[0]?.payload.text).toBe("The command printed: hi");
  });

  it("rejects with auth_error on a 401", async () => {
    harness.api.respondWith(() => replies.error(401));
    const session = await startSession();
    const failure = await session.query("Say OK").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "auth_error", provider: "codex" });
  });

  it("ends with a terminal transport_error on a 500", async () => {
    harness.api.respondWith(() => replies.error(500));
    const session = await startSession();
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "transport_error" });
    expect(ofAsmKind(events, "run_completed")[0]?.payload.status).toBe("failed");
  });

  it("rejects the normalized auto permission mode with the reason", async () => {
    const failure = await asm
      .startSession({ provider: "codex", permissionMode: "auto", cwd: harness.dirs.cwd, env: harness.env, cliPath: cliPath as string, skipGitRepoCheck: true })
      .then((session) => session.query("Say OK"))
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isAsmError(failure) && failure.code).toBe("unsupported");
    expect(String((failure as Error).message)).toContain("approval");
    expect(harness.api.turns).toHaveLength(0);
  });

  it("keeps the prompt off every command line while the run is in flight (ps, /proc/<pid>/cmdline)", async () => {
    harness.api.respondWith(() => replies.hang());
    const session = await startSession();
    const prompt = `Say OK, secret prompt ${randomUUID()}`;
    const stream = session.stream(prompt);
    let seen: Array<{ pid: number; cmdline: string }> = [];
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "session_updated" || seen.length > 0) return;
      await harness.api.waitForRequests(1, { timeoutMs: 30_000 });
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

  it("interrupts a run while the model hangs and leaves no process behind", async () => {
    harness.api.respondWith(() => replies.hang());
    const session = await startSession();
    const stream = session.stream("Say OK");
    let interrupted = false;
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "session_updated" || interrupted) return;
      interrupted = true;
      await harness.api.waitForRequests(1, { timeoutMs: 30_000 });
      await asm.interrupt(stream.runId);
    });
    expect(interrupted).toBe(true);
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "user_cancelled" });
    expect(ofAsmKind(events, "run_completed")[0]?.payload.status).toBe("interrupted");
    expect(await harness.leftovers(10_000)).toEqual([]);
  });
});

