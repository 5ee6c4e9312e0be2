import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { geminiCliEnv, writeGeminiCliSettings, type geminiCliSettings } from "./gemini-cli-home.js";
import { geminiReplies, shellOutput } from "./gemini-replies.js";
import { startFakeGemini, type FakeGeminiServer } from "./gemini.js";

let server: FakeGeminiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";

type Chunk = {
  candidates: Array<{ content: { parts: Array<Record<string, unknown>> }; finishReason?: string }>;
  usageMetadata?: Record<string, number>;
  modelVersion: string;
};

function userTurn(text: string): Record<string, unknown> {
  return { contents: [{ role: "user", parts: [{ text }] }], tools: [{ functionDeclarations: [{ name: "run_shell_command" }] }] };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (server === undefined) throw new Error("no server");
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": "dummy-gemini-key", ...headers },
    body: JSON.stringify(body),
  });
}

async function sse(response: Response): Promise<Chunk[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => JSON.parse(block.slice("data: ".length)) as Chunk);
}

function partsOf(chunks: Chunk[]): Array<Record<string, unknown>> {
  return chunks.flatMap((chunk) => chunk.candidates[0]?.content.parts ?? []);
}

describe("startFakeGemini", () => {
  it("streams OK by default as SSE with finishReason and usage on the last chunk", async () => {
    server = await startFakeGemini();
    const response = await post(STREAM, userTurn("Say OK"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const chunks = await sse(response);
    expect(partsOf(chunks)).toEqual([{ text: "OK" }]);
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe("STOP");
    expect(chunks.at(-1)?.usageMetadata).toMatchObject({ promptTokenCount: 2, candidatesTokenCount: 1, totalTokenCount: 3 });
    expect(chunks.at(-1)?.modelVersion).toBe("gemini-2.5-flash");
    expect(server.turns).toHaveLength(1);
    expect(server.turns[0]).toMatchObject({ model: "gemini-2.5-flash", method: "streamGenerateContent", lastUserText: "Say OK", toolNames: ["run_shell_command"], apiKey: "dummy-gemini-key" });
    expect(server.requests[0]?.url).toBe(STREAM);
  });

  it("splits text into deltaSize chunks and reports scripted usage", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.text("abcdefghij", { deltaSize: 4, usage: { promptTokens: 25, candidatesTokens: 3, thoughtsTokens: 5 } })] });
    const chunks = await sse(await post(STREAM, userTurn("hi")));
    expect(partsOf(chunks)).toEqual([{ text: "abcd" }, { text: "efgh" }, { text: "ij" }]);
    expect(chunks.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 25, candidatesTokenCount: 3, totalTokenCount: 33, thoughtsTokenCount: 5 });
  });

  it("asks for a shell call, then answers once the function response comes back", async () => {
    server = await startFakeGemini();
    server.respondWith(geminiReplies.shellThenText("echo hi", (results) => `The command printed: ${shellOutput(results[0]?.text ?? "")}`, { preface: "I will run a command." }));
    const first = partsOf(await sse(await post(STREAM, userTurn("Run echo hi"))));
    expect(first).toEqual([{ text: "I will run a command." }, { functionCall: { name: "run_shell_command", args: { command: "echo hi", description: "Run echo hi" } } }]);
    const followUp = {
      contents: [
        { role: "user", parts: [{ text: "Run echo hi" }] },
        { role: "model", parts: first },
        {
          role: "user",
          parts: [{ functionResponse: { id: "c1", name: "run_shell_command", response: { output: "<untrusted_context>\nOutput: hi\nProcess Group PGID: 42\n</untrusted_context>" } } }],
        },
      ],
    };
    const second = partsOf(await sse(await post(STREAM, followUp)));
    expect(second).toEqual([{ text: "The command printed: hi" }]);
    expect(server.turns[1]?.functionResponses).toEqual([
      expect.objectContaining({ name: "run_shell_command", id: "c1", isError: false, text: expect.stringContaining("Output: hi") }),
    ]);
  });

  it("echoes a function error response by default", async () => {
    server = await startFakeGemini();
    const body = { contents: [{ role: "user", parts: [{ functionResponse: { name: "run_shell_command", response: { error: "not found" } } }] }] };
    expect(partsOf(await sse(await post(STREAM, body)))).toEqual([{ text: "Tool result (is_error=true): not found" }]);
  });

  it("uses the scripted queue in order before the responder", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.text("first")] });
    server.script(() => geminiReplies.text("second"));
    const texts: unknown[] = [];
    for (let call = 0; call < 3; call += 1) texts.push(partsOf(await sse(await post(STREAM, userTurn("x"))))[0]?.text);
    expect(texts).toEqual(["first", "second", "OK"]);
  });

  it.each([
    [401, "UNAUTHENTICATED", "API key not valid. Please pass a valid API key."],
    [500, "INTERNAL", "Internal error encountered."],
    [429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."],
  ])("answers a scripted %i with a Google error body", async (status, rpcStatus, message) => {
    server = await startFakeGemini({ replies: [geminiReplies.error(status)] });
    const response = await post(STREAM, userTurn("x"));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code: status, message, status: rpcStatus } });
  });

  it("rejects a wrong API key with 401 when apiKey is set", async () => {
    server = await startFakeGemini({ apiKey: "right-key" });
    expect((await post(STREAM, userTurn("x"), { "x-goog-api-key": "wrong" })).status).toBe(401);
    expect((await post(STREAM, userTurn("x"), { "x-goog-api-key": "right-key" })).status).toBe(200);
  });

  it("answers the model router's JSON-mode generateContent call and countTokens", async () => {
    server = await startFakeGemini();
    const router = await post("/v1beta/models/gemini-2.5-flash-lite:generateContent", { ...userTurn("route"), generationConfig: { responseMimeType: "application/json" } });
    const body = (await router.json()) as Chunk;
    expect(JSON.parse(String(body.candidates[0]?.content.parts[0]?.text))).toEqual({ complexity_reasoning: "fake", complexity_score: 10 });
    expect(server.utilityCalls).toHaveLength(1);
    expect(server.turns).toHaveLength(0);
    const plain = (await (await post("/v1beta/models/gemini-2.5-flash:generateContent", userTurn("x"))).json()) as Chunk;
    expect(plain.candidates[0]?.content.parts).toEqual([{ text: "OK" }]);
    const count = await post("/v1beta/models/gemini-2.5-flash:countTokens", userTurn("x".repeat(40)));
    expect(((await count.json()) as { totalTokens: number }).totalTokens).toBeGreaterThan(10);
  });

  it("still answers after a scripted delay", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.text("late", { delayMs: 50, chunkDelayMs: 10, deltaSize: 2 })] });
    expect(partsOf(await sse(await post(STREAM, userTurn("x")))).map((part) => part.text).join("")).toBe("late");
  });

  it("drops the connection mid-stream after the first chunk", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.dropMidStream("0123456789abcdef")] });
    const response = await post(STREAM, userTurn("x"));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("drops the connection before any response", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.drop()] });
    await expect(post(STREAM, userTurn("x"))).rejects.toThrow();
  });

  it("hangs until the server closes", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.hang()] });
    const pending = post(STREAM, userTurn("x"));
    await server.waitForRequests(1);
    await server.close();
    await expect(pending).rejects.toThrow();
  });

  it("answers unknown routes with a Google-style 404", async () => {
    server = await startFakeGemini();
    const response = await post("/v1beta/files", {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
  });

  it("reset forgets turns and the queue", async () => {
    server = await startFakeGemini({ replies: [geminiReplies.text("scripted")] });
    server.reset();
    expect(partsOf(await sse(await post(STREAM, userTurn("x"))))[0]?.text).toBe("OK");
    expect(server.turns).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe("Gemini CLI home helpers", () => {
  it("writes headless settings with API-key auth and bounded retries", async () => {
    const home = await mkdtemp(join(tmpdir(), "gemini-home-"));
    try {
      const path = await writeGeminiCliSettings(home, { maxAttempts: 2, settings: { general: { vimMode: false } } });
      const settings = JSON.parse(await readFile(path, "utf8")) as ReturnType<typeof geminiCliSettings>;
      expect(path).toBe(join(home, ".gemini", "settings.json"));
      expect(settings.security).toEqual({ auth: { selectedType: "gemini-api-key" } });
      expect(settings.general).toMatchObject({ maxAttempts: 2, enableAutoUpdate: false, vimMode: false });
      expect(settings.privacy).toEqual({ usageStatisticsEnabled: false });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("builds the environment that points the CLI at the fake API", () => {
    expect(geminiCliEnv({ baseUrl: "http://127.0.0.1:1", home: "/h", tmpdir: "/t" })).toEqual({
      HOME: "/h",
      TMPDIR: "/t",
      GEMINI_API_KEY: "dummy-gemini-key",
      GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:1",
      GEMINI_TELEMETRY_ENABLED: "false",
      NO_COLOR: "1",
      GEMINI_CLI_TRUST_WORKSPACE: "true",
    });
    expect(geminiCliEnv({ baseUrl: "u", home: "/h", trustWorkspace: false })).not.toHaveProperty("GEMINI_CLI_TRUST_WORKSPACE");
  });
});
