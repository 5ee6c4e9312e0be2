import { describe, expect, it } from "vitest";
import { geminiProfile } from "../profile.js";
import { geminiOptionsSchema } from "../options.js";
import { buildGeminiInvocation } from "./invocation.js";

const endpoint = { serverName: "asm", url: "http://127.0.0.1:4321/mcp", bearerToken: "f".repeat(64), bearerTokenEnv: "ASM_HOST_TOOLS_TOKEN", toolNames: ["add"] };

describe("Gemini host tools", () => {
  it("adds the run's MCP server in a private system defaults file", () => {
    const invocation = buildGeminiInvocation({ prompt: "hi", options: geminiOptionsSchema.parse({}), maxArgvPromptBytes: 100_000, hostTools: endpoint });
    const file = invocation.files?.find((entry) => entry.key === "gemini-host-tools-settings");
    expect(file?.securePath).toBe(true);
    expect(invocation.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH).toBe("${file:gemini-host-tools-settings}");
    expect(JSON.parse(file?.content ?? "{}")).toEqual({ mcpServers: { asm: { httpUrl: endpoint.url, headers: { Authorization: `Bearer ${endpoint.bearerToken}` } } } });
    expect(JSON.stringify(invocation.args)).not.toContain(endpoint.bearerToken);
    expect(geminiProfile.hostTools).toMatchObject({ structuredJsonText: true });
    expect(geminiProfile.hostTools?.toolName("asm", "add")).toBe("mcp_asm_add");
  });
});
