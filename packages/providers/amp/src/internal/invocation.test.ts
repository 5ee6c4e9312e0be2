import type { InvocationInput } from "@asm/contract";
import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { AMP_MCP_CONFIG_FILE_KEY, AMP_SETTINGS_FILE_KEY, buildAmpInvocation } from "./invocation.js";

const BASE = ["--stream-json", "--no-ide", "--no-notifications"];
const build = (overrides: Partial<InvocationInput> = {}) =>
  buildAmpInvocation({ prompt: "Say OK", options: {}, maxArgvPromptBytes: 100_000, ...overrides });

function expectConfigError(fn: () => unknown, pattern: RegExp): void {
  expectAsmError(fn, { code: "config_invalid", message: pattern });
}

describe("buildAmpInvocation", () => {
  it("runs execute mode with the prompt on stdin (never on argv), stream-json, no IDE, no notifications; stdin closed", () => {
    expect(build()).toEqual({ args: ["--execute", ...BASE], env: {}, stdin: "Say OK\n", closeStdin: true });
  });

  it("switches to --stream-json-thinking when includeThinking is set", () => {
    expect(build({ options: { includeThinking: true } }).args).toEqual([
      "--execute",
      "--stream-json-thinking",
      "--no-ide",
      "--no-notifications",
    ]);
    expect(build({ options: { includeThinking: false } }).args).toContain("--stream-json");
  });

  it("passes the mode", () => {
    expect(build({ options: { mode: "low" } }).args).toEqual(["--execute", ...BASE, "--mode", "low"]);
  });

  it("sends every prompt through stdin, whatever its length or first character", () => {
    for (const prompt of ["é".repeat(60), "--dangerously-allow-all please", "short"]) {
      const invocation = build({ prompt, maxArgvPromptBytes: 100 });
      expect(invocation.args).toEqual(["--execute", ...BASE]);
      expect(invocation.stdin).toBe(`${prompt}\n`);
      expect(invocation.closeStdin).toBe(true);
    }
  });

  it("keeps an existing final newline of a stdin prompt", () => {
    expect(build({ prompt: "-x\n" }).stdin).toBe("-x\n");
  });

  it("rejects an empty prompt", () => {
    expectConfigError(() => build({ prompt: "  \n" }), /non-empty prompt/);
  });

  describe("permission modes", () => {
    it("renders only bypass as --dangerously-allow-all", () => {
      expect(build({ permissionMode: "default" }).args).toEqual(["--execute", ...BASE]);
      expect(build({ permissionMode: "auto" }).args).toEqual(["--execute", ...BASE]);
      expect(build({ permissionMode: "bypass" }).args).toEqual(["--execute", ...BASE, "--dangerously-allow-all"]);
    });

    it("refuses plan, which Amp cannot honour, instead of running with the normal rules", () => {
      expectAsmError(() => build({ permissionMode: "plan" }), { code: "unsupported", provider: "amp", message: /no read-only plan mode/ });
    });

    it("prefers the native mode and accepts its aliases", () => {
      expect(build({ permissionMode: "default", nativePermissionMode: "dangerously_allow_all" }).args).toContain(
        "--dangerously-allow-all",
      );
      expect(build({ nativePermissionMode: "dangerously-allow-all" }).args).toContain("--dangerously-allow-all");
      expect(build({ permissionMode: "bypass", nativePermissionMode: "auto" }).args).not.toContain("--dangerously-allow-all");
    });

    it("rejects an unknown native mode", () => {
      expectConfigError(() => build({ nativePermissionMode: "yolo" }), /unknown Amp permission mode "yolo"/);
    });
  });

  describe("continuation", () => {
    it("continues an exact thread with `threads continue <id>` before execute mode", () => {
      const args = build({ continuation: { strategy: "exact", providerSessionId: "T-abc" } }).args;
      expect(args).toEqual(["threads", "continue", "T-abc", "--execute", ...BASE]);
    });

    it("continues the latest thread with `threads continue --last`", () => {
      expect(build({ continuation: { strategy: "latest" } }).args.slice(0, 4)).toEqual([
        "threads",
        "continue",
        "--last",
        "--execute",
      ]);
    });

    it("rejects an empty id or one that would read as a flag", () => {
      expectConfigError(() => build({ continuation: { strategy: "exact", providerSessionId: " " } }), /thread id/);
      expectConfigError(() => build({ continuation: { strategy: "exact", providerSessionId: "--last" } }), /thread id/);
    });
  });

  describe("temporary files", () => {
    it("writes permissions and tools to a settings file passed with --settings-file", () => {
      const permissions = [{ tool: "Bash", action: "ask", matches: { cmd: ["git push*"] } }];
      const invocation = build({ options: { permissions, tools: ["Read", "mcp__docs__*"] } });
      expect(invocation.args).toEqual(["--execute", ...BASE, "--settings-file", `\${file:${AMP_SETTINGS_FILE_KEY}}`]);
      expect(invocation.files).toHaveLength(1);
      expect(JSON.parse(invocation.files?.[0]?.content ?? "")).toEqual({
        "amp.permissions": permissions,
        "amp.tools.enable": ["Read", "mcp__docs__*"],
      });
      expect(invocation.files?.[0]?.key).toBe(AMP_SETTINGS_FILE_KEY);
    });

    it("passes a user settingsFile as is when there is nothing to write", () => {
      const invocation = build({ options: { settingsFile: "/etc/amp/settings.json" } });
      expect(invocation.args.slice(-2)).toEqual(["--settings-file", "/etc/amp/settings.json"]);
      expect(invocation.files).toBeUndefined();
    });

    it("writes mcpConfig to a file (not argv, which would expose its secrets)", () => {
      const mcpConfig = { docs: { command: "npx", args: ["-y", "docs-mcp"], env: { TOKEN: "secret-token" } } };
      const invocation = build({ options: { mcpConfig } });
      expect(invocation.args.slice(-2)).toEqual(["--mcp-config", `\${file:${AMP_MCP_CONFIG_FILE_KEY}}`]);
      expect(invocation.args.join(" ")).not.toContain("secret-token");
      expect(invocation.files).toEqual([{ key: AMP_MCP_CONFIG_FILE_KEY, content: JSON.stringify(mcpConfig) }]);
    });

    it("sends no --mcp-config for an empty server map", () => {
      expect(build({ options: { mcpConfig: {} } }).args).not.toContain("--mcp-config");
    });
  });

  it("puts everything in order, with extraArgs last", () => {
    const invocation = build({
      prompt: "Fix it",
      options: {
        mode: "high",
        includeThinking: true,
        tools: ["Read"],
        mcpConfig: { web: { url: "https://mcp.example.test" } },
        extraArgs: ["--label", "asm"],
      },
      permissionMode: "bypass",
      continuation: { strategy: "exact", providerSessionId: "T-1" },
    });
    expect(invocation.args).toEqual([
      "threads",
      "continue",
      "T-1",
      "--execute",
      "--stream-json-thinking",
      "--no-ide",
      "--no-notifications",
      "--mode",
      "high",
      "--settings-file",
      `\${file:${AMP_SETTINGS_FILE_KEY}}`,
      "--mcp-config",
      `\${file:${AMP_MCP_CONFIG_FILE_KEY}}`,
      "--dangerously-allow-all",
      "--label",
      "asm",
    ]);
    expect(invocation.files?.map((file) => file.key)).toEqual([AMP_SETTINGS_FILE_KEY, AMP_MCP_CONFIG_FILE_KEY]);
  });
});
