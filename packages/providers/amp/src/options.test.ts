import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { normalizeAmpOptions, parseAmpOptions } from "./internal/normalize-options.js";
import { ampOptionsSchema } from "./options.js";

// An invalid option value is config_invalid, naming Amp.
const thrown = (fn: () => unknown) => expectAsmError(fn, { code: "config_invalid", provider: "amp" });

describe("ampOptionsSchema / parseAmpOptions", () => {
  it("accepts every provider option", () => {
    const options = {
      mode: "high",
      includeThinking: true,
      permissions: [
        { tool: "Bash", action: "ask", matches: { cmd: ["git push*"] } },
        { tool: "mcp__*", action: "delegate", to: "/usr/local/bin/decide", context: "subagent" },
      ],
      mcpConfig: {
        files: { command: "npx", args: ["-y", "fs-mcp"], env: { ROOT: "/tmp" } },
        web: { url: "https://mcp.example.test", headers: { Authorization: "Bearer x" } },
      },
      tools: ["Read", "mcp__files__*"],
    };
    expect(parseAmpOptions(options)).toEqual(options);
    expect(parseAmpOptions({})).toEqual({});
  });

  it("has no defaults: an unset mode sends no flag and Amp picks its own", () => {
    expect(ampOptionsSchema.parse({})).toEqual({});
  });

  it("trims strings", () => {
    expect(parseAmpOptions({ mode: "  low ", settingsFile: " /tmp/s.json " })).toEqual({ mode: "low", settingsFile: "/tmp/s.json" });
  });

  it.each([["systemPrompt"], ["maxTurns"], ["permissionMode"], ["cliPath"]])("rejects the unknown key %s, naming it", (key) => {
    const error = thrown(() => parseAmpOptions({ [key]: "x" }));
    expect(error.code).toBe("config_invalid");
    expect(error.provider).toBe("amp");
    expect(error.reason).toContain(`unknown option(s) "${key}"`);
  });

  it.each([
    [{ mode: "" }, "mode"],
    [{ includeThinking: "yes" }, "includeThinking"],
    [{ permissions: { tool: "Bash", action: "allow" } }, "permissions"],
    [{ permissions: [{ tool: "Bash", action: "maybe" }] }, "permissions.0.action"],
    [{ permissions: [{ tool: "Bash", action: "delegate" }] }, "permissions.0.to"],
    [{ mcpConfig: { bad: { args: ["x"] } } }, "mcpConfig.bad"],
    [{ mcpConfig: [] }, "mcpConfig"],
    [{ tools: ["Read", ""] }, "tools.1"],
    [{ settingsFile: 3 }, "settingsFile"],
  ])("rejects %j at %s with config_invalid", (input, path) => {
    const error = thrown(() => parseAmpOptions(input));
    expect(error.code).toBe("config_invalid");
    expect(error.reason).toContain(`${path}:`);
    expect(error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: path.split(".") })]));
  });

  it("rejects settingsFile combined with permissions or tools", () => {
    const error = thrown(() => parseAmpOptions({ settingsFile: "/tmp/s.json", tools: ["Read"] }));
    expect(error.code).toBe("config_invalid");
    expect(error.reason).toMatch(/settingsFile cannot be combined with tools/);
    expect(error.details).toEqual({ keys: ["settingsFile", "tools"] });
  });
});

describe("normalizeAmpOptions", () => {
  it("refuses a model, which Amp has no way to receive, naming the field", () => {
    for (const check of [() => parseAmpOptions({ model: "claude-opus" }), () => normalizeAmpOptions({ model: "claude-opus" })]) {
      const error = thrown(check);
      expect(error.details).toEqual({ key: "model" });
      expect(error.reason).toMatch(/no model option.*mode/);
    }
  });

  it("returns merged common + provider options unchanged", () => {
    const options = { cwd: "/repo", env: { A: "1" }, mode: "low", ollama: false, ollamaModel: undefined };
    expect(normalizeAmpOptions(options)).toBe(options);
  });

  it.each([
    [{ ollama: true }, "ollama"],
    [{ ollamaModel: "llama3.2" }, "ollamaModel"],
    [{ ollamaBaseUrl: "http://127.0.0.1:11434" }, "ollamaBaseUrl"],
  ])("fails %j: Amp does not support the common Ollama surface", (options, key) => {
    // Something Amp cannot do is unsupported, not an invalid value.
    const error = expectAsmError(() => normalizeAmpOptions(options), { code: "unsupported", provider: "amp" });
    expect(error.reason).toContain("does not support the common Ollama surface");
    expect(error.details).toEqual({ keys: [key], feature: "ollama" });
  });

  it("fails settingsFile together with permissions", () => {
    const error = thrown(() => normalizeAmpOptions({ settingsFile: "/s.json", permissions: [] }));
    expect(error.code).toBe("config_invalid");
    expect(error.details).toEqual({ keys: ["settingsFile", "permissions"] });
  });
});
