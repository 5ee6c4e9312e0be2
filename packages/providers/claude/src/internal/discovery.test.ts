import { describe, expect, it } from "vitest";
import { claudeDiscovery, claudeKnownPaths, parseClaudeVersion } from "./discovery.js";

describe("claudeDiscovery", () => {
  it("names the binary, the env var, the install hint and the version range", () => {
    expect(claudeDiscovery.binaryNames).toEqual(["claude"]);
    expect(claudeDiscovery.envVar).toBe("CLAUDE_CLI_PATH");
    expect(claudeDiscovery.installHint).toBe("npm install -g @anthropic-ai/claude-code");
    expect(claudeDiscovery.versionArgs).toEqual(["--version"]);
    expect(claudeDiscovery.supportedVersions).toEqual({ min: "2.1.0", maxExclusive: "3.0.0" });
  });

  it.each([
    ["2.1.329 (Claude Code)", "2.1.329"],
    ["2.1.197 (Claude Code)\n", "2.1.197"],
    ["claude v3.0.0-beta.1", "3.0.0-beta.1"],
    ["Claude Code", null],
  ])("parses %j", (output, version) => {
    expect(parseClaudeVersion(output)).toBe(version);
  });

  it("lists the native installer's and the package managers' locations", () => {
    const paths = claudeKnownPaths({ HOME: "/home/u", npm_config_prefix: "/opt/npm" }, "linux");
    expect(paths).toEqual(expect.arrayContaining(["/home/u/.claude/local/claude", "/home/u/.local/bin/claude", "/home/u/.npm-global/bin/claude", "/opt/npm/bin/claude", "/usr/local/bin/claude"]));
    expect(paths).not.toContain("/opt/homebrew/bin/claude");
    expect(claudeKnownPaths({ HOME: "/Users/u" }, "darwin")).toContain("/opt/homebrew/bin/claude");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("uses Windows paths and shims on win32, and skips locations whose base is unknown", () => {
    const paths = claudeKnownPaths({ USERPROFILE: "C:\\Users\\u", APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32");
    expect(paths).toContain("C:\\Users\\u\\.claude\\local\\claude.exe");
    expect(paths).toContain("C:\\Users\\u\\AppData\\Roaming\\npm\\claude.cmd");
    expect(claudeKnownPaths({}, "linux")).toEqual(["/usr/local/bin/claude"]);
  });
});
