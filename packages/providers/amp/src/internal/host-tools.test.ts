import { describe, expect, it } from "vitest";
import { ampProfile } from "../profile.js";
import { AMP_MCP_CONFIG_FILE_KEY, buildAmpInvocation } from "./invocation.js";

const endpoint = { serverName: "asm", url: "http://127.0.0.1:4321/mcp", bearerToken: "f".repeat(64), bearerTokenEnv: "ASM_HOST_TOOLS_TOKEN", toolNames: ["add"] };

describe("Amp host tools", () => {
  it("adds the run's MCP server to the --mcp-config file beside the caller's servers", () => {
    const invocation = buildAmpInvocation({ prompt: "hi", options: { mcpConfig: { other: { command: "x" } } }, maxArgvPromptBytes: 100_000, hostTools: endpoint });
    expect(invocation.args).toContain(`\${file:${AMP_MCP_CONFIG_FILE_KEY}}`);
    const file = invocation.files?.find((entry) => entry.key === AMP_MCP_CONFIG_FILE_KEY);
    expect(JSON.parse(file?.content ?? "{}")).toEqual({ other: { command: "x" }, asm: { url: endpoint.url, headers: { Authorization: `Bearer ${endpoint.bearerToken}` } } });
    expect(JSON.stringify(invocation.args)).not.toContain(endpoint.bearerToken);
    expect(ampProfile.hostTools?.toolName("asm", "add")).toBe("mcp__asm__add");
  });
});
