import { describe, expect, it } from "vitest";
import { codexProfile } from "../profile.js";
import { buildCodexInvocation } from "./invocation.js";

const endpoint = { serverName: "asm", url: "http://127.0.0.1:4321/mcp", bearerToken: "f".repeat(64), bearerTokenEnv: "ASM_HOST_TOOLS_TOKEN", toolNames: ["add"] };

describe("Codex host tools", () => {
  it("configures the run's MCP server with -c, the token read from the environment", () => {
    const invocation = buildCodexInvocation({ prompt: "hi", options: { skipGitRepoCheck: true }, maxArgvPromptBytes: 100_000, hostTools: endpoint });
    expect(invocation.args).toContain(`mcp_servers.asm.url="${endpoint.url}"`);
    expect(invocation.args).toContain('mcp_servers.asm.bearer_token_env_var="ASM_HOST_TOOLS_TOKEN"');
    expect(JSON.stringify(invocation)).not.toContain(endpoint.bearerToken);
    expect(codexProfile.hostTools?.toolName("asm", "add")).toBe("asm.add");
  });
});
