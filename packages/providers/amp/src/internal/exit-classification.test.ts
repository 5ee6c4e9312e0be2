import { describe, expect, it } from "vitest";
import { RECORDED, recorded } from "../__fixtures__/amp-transcripts.js";
import { classifyAmpFailure, stderrSummary } from "./exit-classification.js";

describe("classifyAmpFailure", () => {
  it("classifies the recorded stderr of real Amp failures", () => {
    const codes = Object.fromEntries(RECORDED.map((name) => [name, classifyAmpFailure(recorded(name).stderr, 1)]));
    expect(codes).toEqual({
      "error-401": "auth_error",
      "error-500": "transport_exit",
      "error-no-actor-gateway": "connection_failed",
    });
  });

  it.each([
    // Seen from Amp 0.0.1790142911 when its server or arguments were wrong.
    ["Error: Couldn't connect to the Amp server at http://127.0.0.1:9.\n\nRun `pnpm dev` to start the local server, then try again.\n", 1, "connection_failed"],
    ["Error: Cannot reach Amp servers. Are you offline?\n", 1, "connection_failed"],
    ["Error: error: unknown option '--bogus-flag'\n", 1, "config_invalid"],
    ["Error: error: unknown option '--api-key'\n", 1, "config_invalid"],
    ["Error: Failed to read --mcp-config file: ENOENT: no such file or directory, open '/x.json'\n", 1, "config_invalid"],
    ["Error: Failed to parse --mcp-config as JSON: JSON Parse error: Expected '}'\n", 1, "config_invalid"],
    ["Error: Invalid JSON in settings file /tmp/s.json\n\nFix the JSON syntax errors.\n", 1, "config_invalid"],
    ["Error: No previously used thread found in this checkout.\n\nRun amp threads continue to pick a thread.\n", 1, "not_found"],
    ["Error: Unexpected error inside Amp CLI.\n", 1, "transport_exit"],
    // Shared and original-library patterns.
    ["sh: 1: amp: not found\n", 127, "cli_not_found"],
    ["sh: 1: cd: /missing: No such file or directory\n", 2, "config_invalid"],
    ["You are not authenticated. Please run amp login first.\n", 1, "auth_error"],
    ["Error: 429 Too Many Requests\n", 1, "rate_limit"],
    ["Error: You are out of credits.\n", 1, "quota_exhausted"],
    ["", 1, "transport_exit"],
  ])("classifies %j (exit %i) as %s", (stderr, exitCode, code) => {
    expect(classifyAmpFailure(stderr, exitCode)).toBe(code);
  });

  it("needs exit 127 to call a missing command cli_not_found", () => {
    expect(classifyAmpFailure("sh: 1: amp: not found\n", 1)).toBe("transport_exit");
  });
});

describe("stderrSummary", () => {
  it("picks the last Error: line and strips its prefixes", () => {
    expect(stderrSummary("loading…\nError: error: unknown option '--x'\nhint\n")).toBe("unknown option '--x'");
  });

  it("falls back to the last non-empty line, and to empty", () => {
    expect(stderrSummary("first\nlast\n\n")).toBe("last");
    expect(stderrSummary("\n  \n")).toBe("");
  });
});
