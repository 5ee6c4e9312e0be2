import { randomUUID } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { defineTool, type AnyProviderDefinition, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import {
  fakeCodexConfigToml,
  geminiCliEnv,
  mcpToolReplies,
  startFakeGemini,
  startFakeOpenAIResponses,
  writeGeminiCliSettings,
} from "@asm/testkit";
import { afterAll, afterEach, expect, it } from "vitest";
import { z } from "zod";
import { collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";
import { claudeCliPath, MARKER_VAR } from "../src/claude-env.js";
import { startClaudeHarness } from "../src/claude-harness.js";
import { processesWithEnv, waitUntilGone, type ProcessRow } from "../src/processes.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs } from "../src/throwaway-dirs.js";

// One host tool, written once, called by the real `claude`, `codex` and `gemini` through ASM: each
// CLI is pointed at the run's MCP server on loopback by its profile, the fake model server asks for
// the tool the CLI offers (`mcp__asm__add` / `mcp_asm_add`) with {a: 2, b: 3}, the tool runs in
// this process, and the model's answer quotes the result the CLI sent back.

const calls: Array<{ input: { a: number; b: number }; runId: string; provider: string }> = [];
const add = defineTool({
  name: "add",
  description: "Adds two numbers and returns the sum",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  call: (input, context) => {
    calls.push({ input, runId: context.runId, provider: context.provider });
    return String(input.a + input.b);
  },
});

const E2E_BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin");

function executable(path: string | null): string | null {
  if (path === null) return null;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch (_error) {
    return null;
  }
}

function geminiPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@google/gemini-cli/package.json");
    const manifest = require(manifestPath) as { bin?: Record<string, string> };
    return executable(join(dirname(manifestPath), manifest.bin?.gemini ?? "bundle/gemini.js"));
  } catch (_error) {
    return null;
  }
}

/** Kills and reports whatever of a test's processes is still alive. */
async function leftoversOf(marker: string): Promise<ProcessRow[]> {
  const left = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 5_000);
  for (const row of left) {
    try {
      process.kill(row.pid, "SIGKILL");
    } catch (_error) {
      // Already gone.
    }
  }
  return left;
}

/** The checks every provider's run must pass: the tool ran here, the CLI saw 5, the events show the call. */
function expectHostToolRun(events: AsmEvent[], provider: string, nativeName: string): void {
  expectWellFormedRun(events);
  expect(ofKind(events, "run_completed")[0]?.payload, JSON.stringify(ofKind(events, "error"))).toMatchObject({ status: "completed" });
  // First: the model's answer names what went wrong when the CLI did not offer the tool.
  expect(ofKind(events, "result")[0]?.payload.text).toBe("The sum is 5");
  const runId = events[0]?.runId;
  expect(calls).toEqual([{ input: { a: 2, b: 3 }, runId, provider }]);
  const uses = ofKind(events, "tool_use");
  expect(uses).toHaveLength(1);
  expect(uses[0]?.payload).toMatchObject({ toolName: "add", toolKind: "mcp", nativeToolName: nativeName, input: { a: 2, b: 3 } });
  const results = ofKind(events, "tool_result");
  expect(results).toHaveLength(1);
  expect(results[0]?.payload).toMatchObject({ toolCallId: uses[0]?.payload.toolCallId, toolName: "add", toolKind: "mcp", isError: false });
  expect(JSON.stringify(results[0]?.payload.content)).toContain("5");
  expect(ofKind(events, "result")[0]?.payload.text).toBe("The sum is 5");
  // The run's bearer token never shows in an event.
  expect(JSON.stringify(events)).not.toMatch(/Bearer [0-9a-f]{64}/);
}

let asm: Asm | undefined;
afterEach(async () => {
  await asm?.dispose();
  asm = undefined;
  calls.length = 0;
});

/**
 * Gemini CLI reads its system settings only from a folder no other user can write to, which /tmp
 * is not; the folder lives under the home folder because a checkout may itself sit below /tmp.
 */
const PRIVATE_FILES_DIR = join(homedir(), ".cache", `asm-e2e-private-run-files-${process.pid}`);
afterAll(async () => {
  await rm(PRIVATE_FILES_DIR, { recursive: true, force: true });
});

function runtime(provider: AnyProviderDefinition): Asm {
  asm = createAsm({ providers: [provider], tools: [add], config: { coreLane: { privateFilesDir: PRIVATE_FILES_DIR } } });
  return asm;
}

const claudePath = claudeCliPath();
describeRealCli("host tools: real claude", realCliGate("claude", claudePath), () => {
  it("calls the host tool add(2, 3) over MCP and answers with its result", async () => {
    const harness = await startClaudeHarness(claudePath as string);
    try {
      harness.api.respondWith(mcpToolReplies.anthropic("asm", "add", { a: 2, b: 3 }, (text) => `The sum is ${text}`));
      const session = await runtime(claude()).startSession({
        provider: "claude",
        permissionMode: "bypass",
        cwd: harness.dirs.cwd,
        cliPath: harness.cliPath,
        // Claude Code defers MCP tools behind its ToolSearch tool, which the fake model does not drive.
        env: harness.env({ extra: { ENABLE_TOOL_SEARCH: "false" } }),
      });
      const events = await collectEvents(session.stream("Add 2 and 3 with the add tool"));
      expectHostToolRun(events, "claude", "mcp__asm__add");
    } finally {
      await asm?.dispose();
      expect(await harness.dispose(), "processes left behind by the test").toEqual([]);
    }
  });
});

describeRealCli("host tools: real claude, approvals", realCliGate("claude", claudePath), () => {
  for (const decision of ["allow", "deny"] as const) {
    it(`asks before calling the host tool in default mode and applies "${decision}"`, async () => {
      const harness = await startClaudeHarness(claudePath as string);
      try {
        harness.api.respondWith(mcpToolReplies.anthropic("asm", "add", { a: 2, b: 3 }, (text) => `Tool said: ${text}`));
        const session = await runtime(claude()).startSession({
          provider: "claude",
          permissionMode: "default",
          cwd: harness.dirs.cwd,
          cliPath: harness.cliPath,
          env: harness.env({ extra: { ENABLE_TOOL_SEARCH: "false" } }),
        });
        const live = asm as Asm;
        const events = await collectEvents(session.stream("Add 2 and 3 with the add tool"), async (event) => {
          if (event.kind === "approval_requested") await live.approve(event.payload.approvalId, decision);
        });
        expectWellFormedRun(events);
        const asked = ofKind(events, "approval_requested");
        expect(asked).toHaveLength(1);
        expect(asked[0]?.payload).toMatchObject({ subject: "add", details: { toolKind: "mcp", nativeToolName: "mcp__asm__add" } });
        expect(ofKind(events, "approval_resolved")[0]?.payload.decision).toBe(decision);
        if (decision === "allow") {
          expect(calls).toHaveLength(1);
          expect(ofKind(events, "result")[0]?.payload.text).toBe("Tool said: 5");
        } else {
          expect(calls).toEqual([]);
          expect(ofKind(events, "tool_result")[0]?.payload).toMatchObject({ toolName: "add", toolKind: "mcp", isError: true });
        }
      } finally {
        await asm?.dispose();
        expect(await harness.dispose(), "processes left behind by the test").toEqual([]);
      }
    });
  }
});

const codexPath = executable(join(E2E_BIN, "codex"));
/**
 * A model Codex has no metadata for: for the models it knows (gpt-5.5) it defers MCP tools behind
 * its tool_search tool, which the fake model does not drive; for others it offers them directly.
 */
const CODEX_MODEL = "fake-model";
describeRealCli("host tools: real codex", realCliGate("codex", codexPath), () => {
  it("calls the host tool add(2, 3) over MCP and answers with its result", async () => {
    const api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    const dirs = await createThrowawayDirs("asm-e2e-host-tools-codex-");
    const marker = randomUUID();
    try {
      const codexHome = join(dirs.home, ".codex");
      await mkdir(codexHome, { recursive: true });
      await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0, model: CODEX_MODEL }));
      api.respondWith(mcpToolReplies.responses("asm", "add", { a: 2, b: 3 }, (text) => `The sum is ${text}`));
      const session = await runtime(codex()).startSession({
        provider: "codex",
        permissionMode: "bypass",
        cwd: dirs.cwd,
        cliPath: codexPath as string,
        skipGitRepoCheck: true,
        model: CODEX_MODEL,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: dirs.home,
          CODEX_HOME: codexHome,
          TMPDIR: dirs.tmpDir,
          FAKE_OPENAI_API_KEY: "dummy",
          NO_COLOR: "1",
          RUST_LOG: "warn",
          [MARKER_VAR]: marker,
        },
      });
      const events = await collectEvents(session.stream("Add 2 and 3 with the add tool"));
      expectHostToolRun(events, "codex", "asm.add");
    } finally {
      await asm?.dispose();
      expect(await leftoversOf(marker), "processes left behind by the test").toEqual([]);
      await api.close();
      await dirs.cleanup();
    }
  });
});

const geminiCli = geminiPath();
describeRealCli("host tools: real gemini", realCliGate("gemini", geminiCli), () => {
  it("calls the host tool add(2, 3) over MCP and answers with its result", async () => {
    const api = await startFakeGemini();
    const dirs = await createThrowawayDirs("asm-e2e-host-tools-gemini-");
    const marker = randomUUID();
    try {
      await writeGeminiCliSettings(dirs.home, { maxAttempts: 1 });
      api.respondWith(mcpToolReplies.gemini("asm", "add", { a: 2, b: 3 }, (text) => `The sum is ${text}`));
      const session = await runtime(gemini()).startSession({
        provider: "gemini",
        permissionMode: "bypass",
        cwd: dirs.cwd,
        cliPath: geminiCli as string,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...geminiCliEnv({ baseUrl: api.url, home: dirs.home, tmpdir: dirs.tmpDir }), [MARKER_VAR]: marker },
      });
      const events = await collectEvents(session.stream("Add 2 and 3 with the add tool"));
      expectHostToolRun(events, "gemini", "mcp_asm_add");
    } finally {
      await asm?.dispose();
      expect(await leftoversOf(marker), "processes left behind by the test").toEqual([]);
      await api.close();
      await dirs.cleanup();
    }
  });
});
