import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Options } from "@anthropic-ai/claude-agent-sdk";
import { claude } from "@asm/claude";
import { createAsm } from "@asm/core";
import { fakeCliPath } from "@asm/testkit";
import { expectAsmError } from "@asm/testkit/assertions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claudeSdkLane, claudeSdkOptions, type ClaudeSdkAsmOptions, type ClaudeSdkModule } from "./index.js";

// claudeSdkOptions on its own: every mapping, every refusal, and the same options the SDK lane
// hands query() for the same ASM options. The real SDK and binary take these options in the e2e
// suite (packages/e2e/test/claude-sdk-bridge.test.ts).

describe("claudeSdkOptions", () => {
  let dir: string;
  let base: { cwd: string; cliPath: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-claude-bridge-"));
    base = { cwd: dir, cliPath: fakeCliPath() };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("maps cwd, cliPath, model and maxTurns, and puts the run's env over the host's", () => {
    const options = claudeSdkOptions({ ...base, model: "sonnet", maxTurns: 3, env: { ASM_BRIDGE_TEST: "yes" } });
    expect(options).toMatchObject({ cwd: dir, pathToClaudeCodeExecutable: fakeCliPath(), model: "sonnet", maxTurns: 3, permissionMode: "default" });
    expect(options.env).toMatchObject({ ASM_BRIDGE_TEST: "yes", CLAUDE_AGENT_SDK_CLIENT_APP: "asm" });
    // The SDK replaces the environment, so the host's PATH must be in it.
    expect(options.env.PATH).toBe(process.env.PATH);
    // No callback or process knob: those belong to whoever drives the SDK.
    expect(options).not.toHaveProperty("canUseTool");
    expect(options).not.toHaveProperty("spawnClaudeCodeProcess");
    expect(JSON.parse(JSON.stringify(options))).toEqual(options);
  });

  it("renders each normalized permission mode as Claude Code's own, confirming bypass", () => {
    const rendered = (["default", "auto", "bypass", "plan"] as const).map((permissionMode) => {
      const options = claudeSdkOptions({ ...base, permissionMode });
      return [options.permissionMode, options.allowDangerouslySkipPermissions];
    });
    expect(rendered).toEqual([
      ["default", undefined],
      ["acceptEdits", undefined],
      ["bypassPermissions", true],
      ["plan", undefined],
    ]);
  });

  it("maps the Claude provider options as the lane does", () => {
    const options = claudeSdkOptions({
      ...base,
      systemPrompt: "You review code.",
      appendSystemPrompt: "Be brief.",
      fallbackModel: "haiku",
      effort: "high",
      allowRules: ["Read"],
      denyRules: ["Bash(rm *)"],
      additionalDirectories: ["/srv/shared"],
      jsonSchema: { type: "object" },
      mcpConfig: { mcpServers: { files: { command: "files-mcp" } } },
      strictMcpConfig: true,
      settingSources: ["project"],
      includeThinking: true,
    });
    expect(options).toMatchObject({
      systemPrompt: "You review code.\n\nBe brief.",
      fallbackModel: "haiku",
      effort: "high",
      allowedTools: ["Read"],
      disallowedTools: ["Bash(rm *)"],
      additionalDirectories: ["/srv/shared"],
      outputFormat: { type: "json_schema", schema: { type: "object" } },
      mcpServers: { files: { command: "files-mcp" } },
      strictMcpConfig: true,
      settingSources: ["project"],
      includePartialMessages: true,
      extraArgs: { thinking: "enabled" },
    });
    expect(claudeSdkOptions({ ...base, appendSystemPrompt: "Be brief." }).systemPrompt).toEqual({ type: "preset", preset: "claude_code", append: "Be brief." });
  });

  it("puts the provider's own variables in env (base URL, token)", () => {
    const options = claudeSdkOptions({ ...base, anthropicBaseUrl: "http://127.0.0.1:9/", anthropicAuthToken: "t0ken" });
    expect(options.env).toMatchObject({ ANTHROPIC_BASE_URL: "http://127.0.0.1:9/", ANTHROPIC_AUTH_TOKEN: "t0ken" });
  });

  it("finds claude as the core lane does: CLAUDE_CLI_PATH in env, else cli_not_found naming where it looked", () => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const found = join(bin, "my-claude");
    writeFileSync(found, "#!/bin/sh\n");
    chmodSync(found, 0o755);
    expect(claudeSdkOptions({ cwd: dir, env: { CLAUDE_CLI_PATH: found } }).pathToClaudeCodeExecutable).toBe(found);
    expectAsmError(() => claudeSdkOptions({ cwd: dir, cliPath: join(dir, "no-such-claude") }), "cli_not_found");
  });

  it("merges native overrides last", () => {
    const canUseTool = () => Promise.resolve({ behavior: "deny", message: "no" });
    const options = claudeSdkOptions({ ...base, allowRules: ["Read"] }, { allowedTools: ["Read", "Grep"], includePartialMessages: false, canUseTool });
    expect(options.allowedTools).toEqual(["Read", "Grep"]);
    expect(options.includePartialMessages).toBe(false);
    expect(options.canUseTool).toBe(canUseTool);
  });

  for (const key of ["cwd", "env", "pathToClaudeCodeExecutable", "permissionMode", "model", "maxTurns"]) {
    it(`refuses the native override ${key}, naming it`, () => {
      expectAsmError(() => claudeSdkOptions(base, { [key]: undefined }), { code: "config_invalid", details: { key: key } });
    });
  }

  it("refuses native overrides that are not an object", () => {
    expectAsmError(() => claudeSdkOptions(base, ["model"] as never), { code: "config_invalid", details: { key: "nativeOverrides" } });
  });

  it("refuses an unknown option, a wrong provider and an invalid permission mode, naming the field", () => {
    expectAsmError(() => claudeSdkOptions({ ...base, maxTurn: 3 } as never), { code: "config_invalid", details: { key: "maxTurn" } });
    expectAsmError(() => claudeSdkOptions({ ...base, provider: "codex" } as never), { code: "config_invalid", details: { key: "provider" } });
    expectAsmError(() => claudeSdkOptions({ ...base, permissionMode: "acceptEdits" } as never), { code: "config_invalid", details: { key: "permissionMode" } });
    expect(claudeSdkOptions({ ...base, provider: "claude" }).permissionMode).toBe("default");
  });

  it("names the field a schema error is about", () => {
    expectAsmError(() => claudeSdkOptions({ ...base, maxTurns: 0 }), { code: "config_invalid", details: { key: "maxTurns" } });
    expectAsmError(() => claudeSdkOptions({ ...base, effort: "huge" } as never), { code: "config_invalid", details: { key: "effort" } });
    expectAsmError(() => claudeSdkOptions({ ...base, env: { A: 1 } } as never), { code: "config_invalid", details: { key: "env.A" } });
    expectAsmError(() => claudeSdkOptions({ ...base, cwd: join(dir, "missing") }), { code: "config_invalid", details: { key: "cwd" } });
  });

  it("refuses what the SDK cannot honour instead of dropping it", () => {
    for (const [key, value] of [
      ["idleTimeoutMs", 1_000],
      ["wallTimeoutMs", 1_000],
      ["secretEnv", ["MY_TOKEN"]],
      ["permissionPromptTool", "mcp__perm__ask"],
      ["extraArgs", ["--debug"]],
      ["maxLineBytes", 1024],
      ["controlProtocol", false],
    ] as const) {
      expectAsmError(() => claudeSdkOptions({ ...base, [key]: value }), { code: "config_invalid", details: { key: key } });
    }
  });

  it("refuses ASM's run keys the SDK has no counterpart for", () => {
    for (const [key, value] of [
      ["lane", "sdk"],
      ["continuation", { strategy: "latest" }],
      ["allowedTools", ["Read"]],
      ["sessionId", "s1"],
      ["approvalTimeoutMs", 1_000],
    ] as const) {
      expectAsmError(() => claudeSdkOptions({ ...base, [key]: value }), { code: "config_invalid", details: { key: key } });
    }
  });

  it("gives what the SDK lane gives query() for the same options, callbacks aside", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const sdk: ClaudeSdkModule = {
      query({ prompt, options }) {
        seen.push(options);
        async function* messages() {
          for await (const message of prompt) {
            yield { type: "result", subtype: "success", is_error: false, result: "ok", session_id: "11111111-2222-3333-4444-555555555555", num_turns: 1, usage: { input_tokens: 1, output_tokens: 1 } };
            void message;
          }
        }
        return Object.assign(messages(), { interrupt: () => Promise.resolve() });
      },
    };
    const asmOptions: ClaudeSdkAsmOptions = { ...base, permissionMode: "bypass", model: "opus", maxTurns: 4, allowRules: ["Read"], includeThinking: false, env: { ASM_BRIDGE_TEST: "1" } };
    const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane({ loadSdk: () => Promise.resolve(sdk) })] });
    await asm.query("claude", "hi", { ...asmOptions, lane: "sdk" });
    await asm.dispose();
    const { canUseTool: _canUseTool, spawnClaudeCodeProcess: _spawn, ...laneOptions } = seen[0] ?? {};
    expect(laneOptions).toEqual(claudeSdkOptions(asmOptions));
  });

  it("is accepted by the SDK's own Options type", () => {
    const options: Options = claudeSdkOptions(base, { includePartialMessages: false });
    expect(options.cwd).toBe(dir);
  });
});
