import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError } from "@asm/contract";
import { claude } from "@asm/claude";
import { createAsm } from "@asm/core";
import { fakeCliPath } from "@asm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeSdkLane, type ClaudeSdkModule } from "../src/index.js";

// Lane resolution and option mapping with injected modules shaped like the Claude Agent SDK's
// API (a stand-in: these tests are about ASM's side; the real SDK is driven in test/ and e2e).

interface QueryCall {
  options: Record<string, unknown>;
  prompts: string[];
  setModel: Array<string | undefined>;
  setPermissionMode: string[];
}

/** A module whose query() answers every user message with an init, a text and a result. */
function scriptedSdk(calls: QueryCall[]): ClaudeSdkModule {
  return {
    query({ prompt, options }) {
      const call: QueryCall = { options, prompts: [], setModel: [], setPermissionMode: [] };
      calls.push(call);
      async function* messages() {
        for await (const message of prompt) {
          call.prompts.push(message.message.content);
          yield { type: "system", subtype: "init", session_id: "11111111-2222-3333-4444-555555555555", model: "claude-opus-5-5", cwd: options.cwd, tools: [] };
          yield { type: "assistant", session_id: "11111111-2222-3333-4444-555555555555", message: { id: "m1", role: "assistant", model: "claude-opus-5-5", content: [{ type: "text", text: `echo: ${message.message.content}` }] } };
          yield { type: "result", subtype: "success", is_error: false, result: `echo: ${message.message.content}`, session_id: "11111111-2222-3333-4444-555555555555", num_turns: 1, total_cost_usd: 0.001, usage: { input_tokens: 1, output_tokens: 1 } };
        }
      }
      const iterator = messages();
      return Object.assign(iterator, {
        interrupt: () => Promise.resolve(),
        setModel: (model?: string) => {
          call.setModel.push(model);
          return Promise.resolve();
        },
        setPermissionMode: (mode: string) => {
          call.setPermissionMode.push(mode);
          return Promise.resolve();
        },
        close: () => void iterator.return(undefined),
      });
    },
  };
}

const missing = () => Promise.reject(Object.assign(new Error("Cannot find package '@anthropic-ai/claude-agent-sdk' imported from /x.js"), { code: "ERR_MODULE_NOT_FOUND" }));

describe("claude sdk lane resolution", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-sdk-claude-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("not installed: auto runs core with laneFallbackReason, sdk fails with the install hint", async () => {
    const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk: missing })] });
    expect(await asm.providerInfo("claude")).toMatchObject({
      sdkAvailable: false,
      sdkUnavailableStatus: "not_installed",
      sdkUnavailableReason: "@anthropic-ai/claude-agent-sdk is not installed",
      sdkInstallHint: expect.stringContaining("npm install @anthropic-ai/claude-agent-sdk"),
      sdkFeatures: expect.objectContaining({ approvals: "callback", interrupt: "graceful" }),
    });
    expect(await asm.resolve("claude", { lane: "auto" })).toMatchObject({ lane: "core", laneFallbackReason: "sdk_unavailable" });
    const error = await asm.resolve("claude", { lane: "sdk" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AsmError);
    expect(error).toMatchObject({ code: "unsupported", message: expect.stringContaining("npm install") });
    await asm.dispose();
  });

  it("broken: a module without query() or one that fails to load is reported as broken", async () => {
    for (const loadSdk of [() => Promise.resolve({ version: "0" }), () => Promise.reject(new Error("Cannot find module './sdk-core.mjs'"))]) {
      const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk })] });
      expect(await asm.providerInfo("claude")).toMatchObject({ sdkAvailable: false, sdkUnavailableStatus: "broken" });
      expect(await asm.resolve("claude", {})).toMatchObject({ lane: "core", laneFallbackReason: "sdk_unavailable" });
      await asm.dispose();
    }
  });

  it("installed: auto picks the sdk lane; remote_node falls back for auto and refuses sdk", async () => {
    const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk: () => Promise.resolve(scriptedSdk([])) })] });
    expect(await asm.resolve("claude", {})).toMatchObject({ lane: "sdk", preferredLane: "sdk", laneReason: "sdk_available", laneFallbackReason: null });
    expect(await asm.resolve("claude", { lane: "auto", executionMode: "remote_node" })).toMatchObject({
      lane: "core",
      preferredLane: "sdk",
      laneFallbackReason: "sdk_remote_unsupported",
    });
    await expect(asm.resolve("claude", { lane: "sdk", executionMode: "remote_node" })).rejects.toMatchObject({ code: "config_invalid" });
    await asm.dispose();
  });

  it("one live query per session: the second run is a message on the same query, model and mode change in place", async () => {
    const calls: QueryCall[] = [];
    const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk: () => Promise.resolve(scriptedSdk(calls)) })] });
    const session = await asm.startSession({ provider: "claude", lane: "sdk", cwd: dir, cliPath: fakeCliPath(), permissionMode: "default" });
    const first = await session.query("one");
    expect(first).toMatchObject({ status: "completed", text: "echo: one", metadata: { lane: "sdk", backend: "sdk:claude" } });
    const second = await session.query("two", { model: "sonnet", permissionMode: "plan" });
    expect(second.text).toBe("echo: two");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.prompts).toEqual(["one", "two"]);
    expect(calls[0]?.setModel).toEqual(["sonnet"]);
    expect(calls[0]?.setPermissionMode).toEqual(["plan"]);
    expect(calls[0]?.options).toMatchObject({ cwd: dir, permissionMode: "default", pathToClaudeCodeExecutable: fakeCliPath() });
    expect(typeof calls[0]?.options.canUseTool).toBe("function");
    expect(typeof calls[0]?.options.spawnClaudeCodeProcess).toBe("function");
    // A fixed option that changes needs a new process, which resumes the session.
    await session.query("three", { maxTurns: 2 });
    expect(calls).toHaveLength(2);
    expect(calls[1]?.options).toMatchObject({ maxTurns: 2, resume: "11111111-2222-3333-4444-555555555555" });
    await session.stop();
    await asm.dispose();
  });

  it("maps provider options to SDK options and refuses what it cannot honour, naming the option", async () => {
    const calls: QueryCall[] = [];
    const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk: () => Promise.resolve(scriptedSdk(calls)) })] });
    const base = { lane: "sdk" as const, cwd: dir, cliPath: fakeCliPath() };
    await asm.query("claude", "hi", {
      ...base,
      allowRules: ["Read"],
      denyRules: ["Bash(rm *)"],
      appendSystemPrompt: "Be brief.",
      jsonSchema: { type: "object" },
      mcpConfig: { mcpServers: { files: { command: "files-mcp" } } },
      includePartialMessages: true,
      includeThinking: false,
    });
    expect(calls[0]?.options).toMatchObject({
      allowedTools: ["Read"],
      disallowedTools: ["Bash(rm *)"],
      systemPrompt: { type: "preset", preset: "claude_code", append: "Be brief." },
      outputFormat: { type: "json_schema", schema: { type: "object" } },
      mcpServers: { files: { command: "files-mcp" } },
      includePartialMessages: true,
      extraArgs: { thinking: "disabled" },
    });
    for (const [key, value] of [
      ["permissionPromptTool", "mcp__approve"],
      ["extraArgs", ["--verbose"]],
      ["controlProtocol", false],
      ["maxLineBytes", 1024],
    ] as const) {
      await expect(asm.query("claude", "hi", { ...base, [key]: value })).rejects.toMatchObject({ code: "config_invalid", message: expect.stringContaining(key) });
    }
    await asm.dispose();
  });
});
