import { describe, expect, it } from "vitest";
import { claudeOptionsSchema } from "./options.js";

// Keys the kernel owns and validates itself; a provider schema that redeclares one is refused.
const COMMON_KEYS = [
  "cliPath",
  "cwd",
  "env",
  "extraArgs",
  "ollama",
  "ollamaModel",
  "ollamaBaseUrl",
  "idleTimeoutMs",
  "wallTimeoutMs",
  "maxLineBytes",
  "approvalTimeoutMs",
  "permissionMode",
  "providerPermissionMode",
];

describe("claudeOptionsSchema", () => {
  it("accepts every Claude option", () => {
    const options = {
      model: "sonnet",
      systemPrompt: "s",
      appendSystemPrompt: "a",
      providerBackend: "ollama",
      externalModelOverrides: { haiku: "llama3.2" },
      anthropicBaseUrl: "http://127.0.0.1:11434",
      anthropicAuthToken: "t",
      includeThinking: true,
      maxTurns: 3,
      allowRules: ["Read"],
      denyRules: ["Bash"],
      additionalDirectories: ["/tmp"],
      mcpConfig: { mcpServers: {} },
      strictMcpConfig: true,
      includePartialMessages: true,
      jsonSchema: { type: "object" },
      effort: "max",
      fallbackModel: "opus",
      settingSources: ["user", "local"],
      permissionPromptTool: "mcp__x__y",
      controlProtocol: false,
    };
    expect(claudeOptionsSchema.parse(options)).toEqual(options);
  });

  it("defaults controlProtocol and includePartialMessages (streaming) to true", () => {
    expect(claudeOptionsSchema.parse({})).toEqual({ controlProtocol: true, includePartialMessages: true });
    expect(claudeOptionsSchema.parse({ includePartialMessages: false })).toMatchObject({ includePartialMessages: false });
  });

  it("fails on an unknown key and names it", () => {
    const result = claudeOptionsSchema.safeParse({ model: "opus", maxTurn: 3 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["maxTurn"] });
    expect(result.error?.message).toContain("maxTurn");
  });

  it.each([
    [{ maxTurns: 0 }, "maxTurns"],
    [{ maxTurns: 1.5 }, "maxTurns"],
    [{ effort: "extreme" }, "effort"],
    [{ providerBackend: "bedrock" }, "providerBackend"],
    [{ anthropicBaseUrl: "not a url" }, "anthropicBaseUrl"],
    [{ anthropicBaseUrl: "ftp://host" }, "anthropicBaseUrl"],
    [{ model: "  " }, "model"],
    [{ allowRules: [""] }, "allowRules"],
    [{ settingSources: ["global"] }, "settingSources"],
    [{ mcpConfig: 42 }, "mcpConfig"],
    [{ controlProtocol: "yes" }, "controlProtocol"],
  ])("rejects %j", (options, key) => {
    const result = claudeOptionsSchema.safeParse(options);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(key);
  });

  it("declares none of the kernel's common keys", () => {
    const declared = Object.keys(claudeOptionsSchema.shape);
    expect(declared.filter((key) => COMMON_KEYS.includes(key))).toEqual([]);
    expect(declared.every((key) => /^[a-z][A-Za-z]*$/.test(key))).toBe(true);
  });
});
