import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { accessSync, constants } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { createAsm } from "@asm/core";
import { listProviderSessions } from "@asm/core-lane";
import { gemini } from "@asm/gemini";
import {
  anthropicReplies,
  fakeCodexConfigToml,
  geminiCliEnv,
  geminiReplies,
  openAIResponsesReplies,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAIResponses,
  writeGeminiCliSettings,
} from "@asm/testkit";
import { afterEach, expect, it } from "vitest";
import { claudeCliPath, claudeEnv } from "../src/claude-env.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";

// listProviderSessions against the session stores the real CLIs write: each CLI runs one
// conversation through ASM (core lane) in a throwaway HOME against its fake model server, then
// the conversation must be listed with the id ASM reported, its prompt and its working directory,
// and must resume by that id.

const here = dirname(fileURLToPath(import.meta.url));
let dirs: ThrowawayDirs | undefined;

afterEach(async () => {
  await dirs?.cleanup();
  dirs = undefined;
});

function executable(path: string | null): string | null {
  if (path === null) return null;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch (_error) {
    return null;
  }
}

function geminiCliPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@google/gemini-cli/package.json");
    const manifest = require(manifestPath) as { bin?: Record<string, string> };
    return executable(join(dirname(manifestPath), manifest.bin?.gemini ?? "bundle/gemini.js"));
  } catch (_error) {
    return null;
  }
}

/** Runs two prompts in one conversation, then lists it; returns what the list says. */
async function converseThenList(provider: "claude" | "codex" | "gemini", cliPath: string, env: Record<string, string>, cwd: string) {
  const asm = createAsm({ providers: [claude(), codex(), gemini()] });
  try {
    const session = await asm.startSession({ provider, lane: "core", permissionMode: "bypass", cwd, cliPath, env });
    const first = await session.query("Say OK please");
    expect(first.status).toBe("completed");
    const id = first.providerSessionId as string;
    expect(id).toBeTruthy();
    const listed = listProviderSessions(provider, { cwd, env });
    expect(listed.map((entry) => entry.id)).toContain(id);
    const entry = listed.find((candidate) => candidate.id === id);
    expect(entry).toMatchObject({ provider, label: "Say OK please", cwd });
    expect(Number.isNaN(Date.parse(entry?.updatedAt ?? ""))).toBe(false);
    // Another working directory has none of them.
    expect(listProviderSessions(provider, { cwd: join(cwd, "elsewhere"), env })).toEqual([]);
    // The listed id resumes the conversation.
    const resumed = await session.query("Again", { continuation: { strategy: "exact", providerSessionId: id } });
    expect(resumed.status).toBe("completed");
    expect(resumed.providerSessionId).toBe(id);
  } finally {
    await asm.dispose();
  }
}

const claudePath = claudeCliPath();
describeRealCli("listProviderSessions over claude's project transcripts", realCliGate("claude", claudePath), () => {
  it("lists the conversation a real claude wrote, by id, prompt and cwd", async () => {
    dirs = await createThrowawayDirs("asm-e2e-sessions-claude-");
    const api = await startFakeAnthropic();
    try {
      api.respondWith(() => anthropicReplies.text("OK"));
      await converseThenList("claude", claudePath as string, claudeEnv({ baseUrl: api.url, dirs }), dirs.cwd);
    } finally {
      await api.close();
    }
  });
});

const codexPath = executable(join(here, "..", "node_modules", ".bin", "codex"));
describeRealCli("listProviderSessions over codex's rollouts", realCliGate("codex", codexPath), () => {
  it("lists the thread a real codex wrote, by id, prompt and cwd", async () => {
    dirs = await createThrowawayDirs("asm-e2e-sessions-codex-");
    const api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    try {
      api.respondWith(() => openAIResponsesReplies.text("OK"));
      const codexHome = join(dirs.home, ".codex");
      await mkdir(codexHome, { recursive: true });
      await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0 }));
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", SHELL: "/bin/bash", HOME: dirs.home, CODEX_HOME: codexHome, TMPDIR: dirs.tmpDir, FAKE_OPENAI_API_KEY: "dummy", RUST_LOG: "warn" };
      await converseThenList("codex", codexPath as string, env, dirs.cwd);
    } finally {
      await api.close();
    }
  });
});

const geminiPath = geminiCliPath();
describeRealCli("listProviderSessions over gemini's chats", realCliGate("gemini", geminiPath), () => {
  it("lists the chat a real gemini wrote, by id, prompt and cwd", async () => {
    dirs = await createThrowawayDirs("asm-e2e-sessions-gemini-");
    const api = await startFakeGemini();
    try {
      api.respondWith(() => geminiReplies.text("OK"));
      await writeGeminiCliSettings(dirs.home, { maxAttempts: 1 });
      await converseThenList("gemini", geminiPath as string, geminiCliEnv({ baseUrl: api.url, home: dirs.home, tmpdir: dirs.tmpDir }), dirs.cwd);
    } finally {
      await api.close();
    }
  });
});
