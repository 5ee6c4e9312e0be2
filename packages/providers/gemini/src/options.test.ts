import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { normalizeGeminiOptions } from "./internal/normalize-options.js";
import { geminiOptionsSchema } from "./options.js";

describe("geminiOptionsSchema", () => {
  it("applies defaults and keeps the given values", () => {
    expect(geminiOptionsSchema.parse({ model: " gemini-2.5-pro ", extensions: ["git"] })).toEqual({
      model: "gemini-2.5-pro",
      extensions: ["git"],
      sandbox: false,
      skipTrust: false,
      relaunch: false,
    });
  });

  it("fails on an unknown key, naming it", () => {
    const result = geminiOptionsSchema.safeParse({ approvalMode: "yolo" });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("approvalMode");
  });

  it("does not declare the common keys the kernel owns", () => {
    const common = ["cliPath", "cwd", "env", "extraArgs", "ollama", "ollamaModel", "ollamaBaseUrl", "idleTimeoutMs", "wallTimeoutMs", "maxLineBytes", "approvalTimeoutMs"];
    for (const key of common) expect(Object.keys(geminiOptionsSchema.shape)).not.toContain(key);
  });

  it("rejects empty strings, comma-joined list entries and bad session ids", () => {
    expect(geminiOptionsSchema.safeParse({ model: "  " }).success).toBe(false);
    expect(geminiOptionsSchema.safeParse({ includeDirectories: ["/a,b"] }).success).toBe(false);
    expect(geminiOptionsSchema.safeParse({ cliSessionId: "has space" }).success).toBe(false);
    expect(geminiOptionsSchema.safeParse({ cliSessionId: "0f1e2d3c-aaaa" }).success).toBe(true);
    expect(geminiOptionsSchema.safeParse({ sandbox: 1 }).success).toBe(false);
  });
});

describe("normalizeGeminiOptions", () => {
  it("passes options without Ollama knobs through (ollama: false included)", () => {
    const options = { model: "gemini-2.5-flash", ollama: false };
    expect(normalizeGeminiOptions(options)).toBe(options);
  });

  it.each([
    [{ ollama: true }, ["ollama"]],
    [{ ollamaModel: "llama3" }, ["ollamaModel"]],
    [{ ollamaBaseUrl: "http://127.0.0.1:11434", ollamaModel: "llama3" }, ["ollamaModel", "ollamaBaseUrl"]],
  ])("fails with unsupported for %j", (options, keys) => {
    const error = expectAsmError(() => normalizeGeminiOptions(options), {
      code: "unsupported",
      provider: "gemini",
      message: "Gemini does not support the common Ollama surface",
    });
    expect(error.details["keys"]).toEqual(keys);
  });
});
