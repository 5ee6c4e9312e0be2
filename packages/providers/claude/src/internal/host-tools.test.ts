import { describe, expect, it } from "vitest";
import { claudeProfile } from "../profile.js";
import { claudeOptionsSchema, type ClaudeProfileOptions } from "../options.js";
import { buildClaudeInvocation } from "./invocation.js";
import { normalizeClaudeOptions } from "./normalize-options.js";

const endpoint = { serverName: "asm", url: "http://127.0.0.1:4321/mcp", bearerToken: "f".repeat(64), bearerTokenEnv: "ASM_HOST_TOOLS_TOKEN", toolNames: ["add"] };

describe("Claude host tools", () => {
  it("adds the run's MCP server as one more --mcp-config file, the token only in the file", () => {
    const options = normalizeClaudeOptions(claudeOptionsSchema.loose().parse({ mcpConfig: { other: { command: "x" } } })) as ClaudeProfileOptions;
    const invocation = buildClaudeInvocation({ prompt: "hi", options, maxArgvPromptBytes: 100_000, hostTools: endpoint });
    const flags = invocation.args.flatMap((arg, index) => (arg === "--mcp-config" ? [invocation.args[index + 1]] : []));
    expect(flags).toEqual(["${file:mcp}", "${file:host-tools-mcp}"]);
    expect(invocation.args[invocation.args.indexOf("${file:host-tools-mcp}") + 1]).toMatch(/^--/);
    const file = invocation.files?.find((entry) => entry.key === "host-tools-mcp");
    expect(JSON.parse(file?.content ?? "{}")).toEqual({ mcpServers: { asm: { type: "http", url: endpoint.url, headers: { Authorization: `Bearer ${endpoint.bearerToken}` } } } });
    expect(JSON.stringify(invocation.args) + JSON.stringify(invocation.env)).not.toContain(endpoint.bearerToken);
    expect(claudeProfile.hostTools?.toolName("asm", "add")).toBe("mcp__asm__add");
  });
});
