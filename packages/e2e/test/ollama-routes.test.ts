import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { amp } from "@asm/amp";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { isAsmError } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import {
  fakeCodexConfigToml,
  openAIResponsesReplies,
  startFakeAnthropic,
  startFakeOpenAIResponses,
  type FakeAnthropicServer,
  type FakeOpenAIResponsesServer,
} from "@asm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectEvents, expectWellFormedRun, ofKind, rejectionOf } from "../src/asm-events.js";
import { claudeCliPath, DUMMY_ANTHROPIC_KEY, MARKER_VAR } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { processesWithEnv, waitUntilGone, type ProcessRow } from "../src/processes.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// The common Ollama surface (`ollama`, `ollamaModel`, `ollamaBaseUrl`) through ASM with the real
// CLIs. No Ollama runs here: the test kit's fake servers stand in for it on 127.0.0.1.

// ---------------------------------------------------------------------------------------------
// Claude Code: Ollama serves the Anthropic Messages API, so the fake Anthropic server plays Ollama.

const claudePath = claudeCliPath();

describeRealCli("real claude through ASM on the Ollama route", realCliGate("claude", claudePath), () => {
  let harness: ClaudeHarness;
  let anthropic: FakeAnthropicServer;
  let asm: Asm;

  beforeEach(async () => {
    // The harness's own fake server is the Ollama stand-in; a second one plays api.anthropic.com,
    // which the run's environment points at, as a user's shell would.
    harness = await startClaudeHarness(claudePath as string);
    anthropic = await startFakeAnthropic();
    asm = createAsm({ providers: [claude()] });
  });

  afterEach(async () => {
    await asm.dispose();
    await anthropic.close();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  it("sends the run to ollamaBaseUrl with ollamaModel and the ollama bearer token, never the Anthropic key", async () => {
    const ollama = harness.api;
    ollama.respondWith(() => anthropicReplies.text("OK from llama"));
    const session = await asm.startSession({
      provider: "claude",
      permissionMode: "bypass",
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      // An Anthropic endpoint and key in the environment: the route must override both.
      env: harness.env({ extra: { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: DUMMY_ANTHROPIC_KEY } }),
      ollama: true,
      ollamaModel: "llama3.2",
      ollamaBaseUrl: ollama.url,
    });
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(ofKind(events, "run_started")[0]?.payload.model).toBe("llama3.2");
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ status: "success", text: "OK from llama" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("completed");

    expect(anthropic.requests).toEqual([]);
    expect(ollama.turns.length).toBeGreaterThanOrEqual(1);
    for (const turn of ollama.turns) {
      expect(turn.body.model).toBe("llama3.2");
      expect(turn.request.headers.authorization).toBe("Bearer ollama");
      expect(turn.request.headers["x-api-key"]).toBeUndefined();
    }
    expect(JSON.stringify(ollama.requests.map((request) => request.headers))).not.toContain(DUMMY_ANTHROPIC_KEY);
  });
});

// ---------------------------------------------------------------------------------------------
// Codex: the OSS route (`-c model_provider="ollama"`, CODEX_OSS_BASE_URL) against the fake OpenAI
// Responses server with Ollama's native routes (`/api/tags`, `/api/show`…), which Codex checks.

const CODEX_API_KEY = "dummy";

const codexCli = pinnedCodexPath();

describeRealCli("real codex through ASM on the Ollama route", realCliGate("codex", codexCli), () => {
  let dirs: ThrowawayDirs;
  let configured: FakeOpenAIResponsesServer;
  let ollama: FakeOpenAIResponsesServer;
  let env: Record<string, string>;
  let marker: string;
  let asm: Asm;
  const leftovers = (timeoutMs: number): Promise<ProcessRow[]> => waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), timeoutMs);

  beforeEach(async () => {
    dirs = await createThrowawayDirs("asm-e2e-codex-ollama-");
    // The provider of config.toml, which the Ollama route must bypass; it would accept the key.
    configured = await startFakeOpenAIResponses({ apiKey: CODEX_API_KEY });
    // A local server takes no API key.
    ollama = await startFakeOpenAIResponses({ ollama: { models: ["gpt-oss:20b", "qwen3:8b"] } });
    const codexHome = join(dirs.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: configured.baseUrl }));
    marker = randomUUID();
    env = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      HOME: dirs.home,
      CODEX_HOME: codexHome,
      TMPDIR: dirs.tmpDir,
      FAKE_OPENAI_API_KEY: CODEX_API_KEY,
      NO_COLOR: "1",
      RUST_LOG: "warn",
      [MARKER_VAR]: marker,
    };
    asm = createAsm({ providers: [codex()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const left = await leftovers(5_000);
    for (const row of left) {
      try {
        process.kill(row.pid, "SIGKILL");
      } catch (_error) {
        // Already gone.
      }
    }
    await Promise.all([configured.close(), ollama.close()]);
    await dirs.cleanup();
    expect(left, "processes left behind by the test").toEqual([]);
  });

  function startSession(options: Record<string, unknown>) {
    return asm.startSession({
      provider: "codex",
      permissionMode: "bypass",
      cwd: dirs.cwd,
      env,
      cliPath: codexCli as string,
      skipGitRepoCheck: true,
      ollama: true,
      ollamaBaseUrl: ollama.url,
      ...options,
    });
  }

  it("uses gpt-oss:20b by default and reaches only the Ollama server", async () => {
    ollama.script(openAIResponsesReplies.text("OK from gpt-oss"));
    const session = await startSession({});
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(ofKind(events, "result")[0]?.payload).toMatchObject({ status: "success", text: "OK from gpt-oss" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("completed");
    expect(ollama.turns.map((turn) => turn.body.model)).toEqual(["gpt-oss:20b"]);
    expect(ollama.requests.filter((request) => request.path === "/v1/responses").map((request) => request.method)).toEqual(["POST"]);
    expect(configured.requests).toEqual([]);
  });

  it("sends an explicit ollamaModel", async () => {
    ollama.script(openAIResponsesReplies.text("OK from qwen"));
    const session = await startSession({ ollamaModel: "qwen3:8b" });
    const result = await session.query("Say OK");
    expect(result).toMatchObject({ status: "completed", text: "OK from qwen" });
    expect(ollama.turns.map((turn) => turn.body.model)).toEqual(["qwen3:8b"]);
    expect(configured.requests).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Gemini and Amp have no Ollama route: asking for one is `unsupported` before any CLI runs.

describe("the Ollama surface on providers without it", () => {
  for (const provider of ["gemini", "amp"] as const) {
    it(`${provider}: ollama: true rejects with unsupported`, async () => {
      const asm = createAsm({ providers: [gemini(), amp()] });
      try {
        const failure = await rejectionOf(asm.query(provider, "x", { ollama: true }));
        expect(isAsmError(failure)).toBe(true);
        expect(failure).toMatchObject({ code: "unsupported", message: expect.stringMatching(/ollama/i) });
      } finally {
        await asm.dispose();
      }
    });
  }
});

