import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { codex } from "@asm/codex";
import { createAsm, type Asm } from "@asm/core";
import { consumerManifest, startEndpointServer, type EndpointServer } from "@asm/endpoint";
import { fakeCodexConfigToml, openAIResponsesReplies as replies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import OpenAI from "openai";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MARKER_VAR } from "../src/claude-env.js";
import { processesWithEnv, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// The real `codex` (@openai/codex 0.169.0) behind ASM's OpenAI-compatible endpoint, driven by the
// real `openai` client, against the fake OpenAI Responses server on loopback: plain and streaming
// completions, and a client that aborts mid-stream leaving no process behind.


const cliPath = pinnedCodexPath();
const MODEL = "gpt-5-codex";

describeRealCli("real codex behind the OpenAI-compatible endpoint", realCliGate("codex", cliPath), () => {
  let api: FakeOpenAIResponsesServer;
  let dirs: ThrowawayDirs;
  let marker: string;
  let asm: Asm;
  let server: EndpointServer | undefined;

  beforeEach(async () => {
    api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    dirs = await createThrowawayDirs("asm-e2e-codex-faces-");
    marker = randomUUID();
    asm = createAsm({ providers: [codex()] });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await asm.dispose();
    const left = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 10_000);
    await api.close();
    await dirs.cleanup();
    expect(left, "processes left behind").toEqual([]);
  });

  async function openaiClient(): Promise<OpenAI> {
    const codexHome = join(dirs.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0 }));
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", SHELL: "/bin/bash", HOME: dirs.home, CODEX_HOME: codexHome, TMPDIR: dirs.tmpDir, FAKE_OPENAI_API_KEY: "dummy", RUST_LOG: "warn", [MARKER_VAR]: marker };
    server = await startEndpointServer({ asm });
    const lease = await server.ensureEndpoint({ modelPreference: { provider: "codex", id: MODEL }, stream: true }, consumerManifest(), {
      sessionOptions: { permissionMode: "bypass", cwd: dirs.cwd, cliPath, env },
    });
    return new OpenAI({ baseURL: lease.descriptor.baseUrl, apiKey: lease.token, maxRetries: 0 });
  }

  it("openai chat.completions.create, plain and streaming", async () => {
    const client = await openaiClient();
    api.respondWith(() => replies.text("Hello from codex"));
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Say hello" }] });
    expect(completion.choices[0]?.message.content).toBe("Hello from codex");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(JSON.stringify(api.turns.at(-1)?.body ?? {})).toContain("Say hello");
    expect((api.turns.at(-1)?.body as { model?: string } | undefined)?.model).toBe(MODEL);

    api.respondWith(() => replies.text("Streaming from codex", { deltaSize: 5 }));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream" }], stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
      finish ??= chunk.choices[0]?.finish_reason ?? null;
      usage ??= chunk.usage;
    }
    expect(pieces.join("")).toBe("Streaming from codex");
    expect(finish).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("a client abort mid-stream leaves no process behind", async () => {
    const client = await openaiClient();
    api.respondWith(() => replies.stallMidStream("Thinking slowly about it"));
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Think" }], stream: true }, { signal: controller.signal });
    await (async () => {
      for await (const _chunk of stream) {
        // The first chunk is out once codex runs; abort once it is stuck on the stalled reply.
        const deadline = Date.now() + 30_000;
        while (api.turns.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(processesWithEnv(MARKER_VAR, marker).length).toBeGreaterThan(0);
        controller.abort();
      }
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
    });
    expect(controller.signal.aborted).toBe(true);
    expect(await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 15_000)).toEqual([]);
  });
});
