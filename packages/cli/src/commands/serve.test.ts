import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Starts `asm serve` in-process with a Ctrl-C the test can press. */
function serve(argv: string[], env: Record<string, string | undefined> = {}) {
  const io = captureIo(env);
  let interrupt: (() => void) | undefined;
  io.onInterrupt = (handler) => {
    interrupt = handler;
    return () => (interrupt = undefined);
  };
  const exit = main(["serve", ...argv], io);
  const ready = async () => {
    const deadline = Date.now() + 10_000;
    while (!io.out().includes("\n")) {
      if (Date.now() > deadline) throw new Error(`asm serve did not start: ${io.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return io.out();
  };
  return { io, exit, ready, stop: () => interrupt?.() };
}

describe("asm serve", () => {
  it("prints the base URL, token and model as one JSON line and serves the provider's CLI until Ctrl-C", async () => {
    // The fake CLI replays a recorded Claude Code session; the core lane hands it this environment.
    for (const [key, value] of Object.entries(fakeCliEnv({ mode: "replay", transcript: DEMO_TRANSCRIPT, version: "2.1.329" }))) vi.stubEnv(key, value);
    const token = "serve-test-token-0123456789";
    const server = serve(["--provider", "claude", "--model", "opus", "--cli-path", fakeCliPath(), "--json"], { ASM_ENDPOINT_TOKEN: token });
    const line = JSON.parse((await server.ready()).trim()) as { baseUrl: string; token: string; model: string };
    expect(line).toMatchObject({ token, model: "opus" });
    expect(line.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/leases\/lease_\w+\/v1$/);
    const client = new OpenAI({ baseURL: line.baseUrl, apiKey: token, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "opus", messages: [{ role: "user", content: "Run echo in the shell" }] });
    expect(completion.choices[0]?.message.content).toMatch(/hello from a real tool call/);
    const refused = await new OpenAI({ baseURL: line.baseUrl, apiKey: "not-the-token", maxRetries: 0 }).models.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    server.stop();
    expect(await server.exit).toBe(0);
    await expect(fetch(line.baseUrl.replace("/v1", "/health"))).rejects.toThrow();
  });

  it("refuses a bad port and a missing provider as usage errors", async () => {
    expect(await main(["serve", "--provider", "claude", "--port", "70000"], captureIo())).toBe(2);
    expect(await main(["serve"], captureIo())).toBe(2);
  });
});
