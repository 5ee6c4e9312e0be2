import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { claudeSdkOptions, type ClaudeSdkAsmOptions } from "@asm/sdk-claude";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { claudeCliPath } from "../src/claude-env.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";

// claudeSdkOptions handed to the real Claude Agent SDK's query() (the copy @asm/sdk-claude is
// tested with), which drives the real pinned `claude` against the fake Anthropic server: the
// mapped options must be ones the SDK and the CLI act on.

/** The SDK's `query()`, as far as this test calls it. */
interface SdkQueryModule {
  query(params: { prompt: string; options: Record<string, unknown> }): AsyncIterable<Record<string, unknown>>;
}

async function loadRealSdk(): Promise<SdkQueryModule | null> {
  try {
    const lanePackage = createRequire(import.meta.url).resolve("@asm/sdk-claude/package.json");
    const entry = createRequire(lanePackage).resolve("@anthropic-ai/claude-agent-sdk");
    return (await import(pathToFileURL(entry).href)) as SdkQueryModule;
  } catch (_error) {
    return null;
  }
}

async function messagesOf(stream: AsyncIterable<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const messages: Array<Record<string, unknown>> = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

const cliPath = claudeCliPath();
const sdk = await loadRealSdk();
const gate = requireAlso(realCliGate("claude", cliPath), sdk !== null, "the Claude Agent SDK cannot be loaded from @asm/sdk-claude");

describeRealCli("claudeSdkOptions in the real Claude Agent SDK", gate, () => {
  let harness: ClaudeHarness;

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
  });

  afterEach(async () => {
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  function options(asmOptions: Omit<ClaudeSdkAsmOptions, "cwd" | "cliPath" | "env">, nativeOverrides?: Record<string, unknown>) {
    return claudeSdkOptions({ cwd: harness.dirs.cwd, cliPath: harness.cliPath, env: harness.env({ maxRetries: 1 }), ...asmOptions }, nativeOverrides);
  }

  it("runs a Bash tool in bypass mode with the mapped model and system prompt", async () => {
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: "touch made.txt && echo made", description: "Make a file" }, (results) => `Printed: ${results[0]?.text ?? ""}`));
    const query = (sdk as SdkQueryModule).query({
      prompt: "Make the file",
      options: options({ permissionMode: "bypass", model: "claude-bridge-test-model", systemPrompt: "You are the bridge test." }),
    });
    const messages = await messagesOf(query);
    const result = messages.find((message) => message["type"] === "result");
    expect(result).toMatchObject({ subtype: "success", result: "Printed: made" });
    expect(existsSync(join(harness.dirs.cwd, "made.txt"))).toBe(true);
    const first = harness.api.turns[0]?.body;
    expect(first?.["model"]).toBe("claude-bridge-test-model");
    expect(JSON.stringify(first?.["system"])).toContain("You are the bridge test.");
  }, 90_000);

  it("stops after maxTurns", async () => {
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: "echo again", description: "Again" }, "never reached"));
    const messages: Array<Record<string, unknown>> = [];
    // The SDK yields the error result, then throws it.
    const failure = await (async () => {
      for await (const message of (sdk as SdkQueryModule).query({ prompt: "Loop", options: options({ permissionMode: "bypass", maxTurns: 1 }) })) messages.push(message);
    })().then(
      () => null,
      (error: unknown) => error,
    );
    expect(messages.find((message) => message["type"] === "result")).toMatchObject({ subtype: "error_max_turns" });
    expect(String(failure)).toContain("maximum number of turns (1)");
    expect(harness.api.turns).toHaveLength(1);
  }, 90_000);

  it("asks a native canUseTool override in the default mode, and its denial reaches the model", async () => {
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: "touch denied.txt", description: "Make a file" }, (results) => `Denied: ${String(results[0]?.isError)}`));
    const asked: string[] = [];
    const canUseTool = (toolName: string) => {
      asked.push(toolName);
      return Promise.resolve({ behavior: "deny", message: "not in this test" });
    };
    const messages = await messagesOf((sdk as SdkQueryModule).query({ prompt: "Make the file", options: options({ permissionMode: "default" }, { canUseTool }) }));
    expect(asked).toEqual(["Bash"]);
    expect(messages.find((message) => message["type"] === "result")).toMatchObject({ subtype: "success", result: "Denied: true" });
    expect(harness.api.turns[1]?.toolResults[0]).toMatchObject({ isError: true, text: expect.stringContaining("not in this test") });
    expect(existsSync(join(harness.dirs.cwd, "denied.txt"))).toBe(false);
  }, 90_000);
});
