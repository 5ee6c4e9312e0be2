import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { normalizeClaudeOptions } from "./normalize-options.js";

function conflictKeys(options: Record<string, unknown>): string[] {
  const error = expectAsmError(() => normalizeClaudeOptions(options), { code: "config_invalid", provider: "claude" });
  const keys = error.details["keys"] as string[];
  for (const key of keys) expect(error.message).toContain(key);
  return keys;
}

describe("normalizeClaudeOptions", () => {
  it("leaves options without the Ollama surface untouched", () => {
    const options = { model: "opus", cwd: "/w", controlProtocol: true };
    expect(normalizeClaudeOptions(options)).toBe(options);
  });

  it("ollama: true with an Ollama model routes Claude Code to the local server", () => {
    expect(normalizeClaudeOptions({ ollama: true, ollamaModel: "qwen3-coder", controlProtocol: true })).toEqual({
      ollama: true,
      ollamaModel: "qwen3-coder",
      controlProtocol: true,
      providerBackend: "ollama",
      anthropicBaseUrl: "http://127.0.0.1:11434",
      anthropicAuthToken: "ollama",
      model: "qwen3-coder",
    });
  });

  it("any ollama knob requests the surface; the base URL and a given token are kept", () => {
    const normalized = normalizeClaudeOptions({ ollamaBaseUrl: "http://10.1.1.1:11434", model: "llama3.2", anthropicAuthToken: "secret" });
    expect(normalized).toMatchObject({
      providerBackend: "ollama",
      anthropicBaseUrl: "http://10.1.1.1:11434",
      anthropicAuthToken: "secret",
      model: "llama3.2",
    });
  });

  it("providerBackend: ollama alone applies the same defaults", () => {
    expect(normalizeClaudeOptions({ providerBackend: "ollama", model: "llama3.2" })).toMatchObject({
      anthropicBaseUrl: "http://127.0.0.1:11434",
      anthropicAuthToken: "ollama",
    });
  });

  it("model + a different ollamaModel: the model is the canonical name, recorded as an override", () => {
    const normalized = normalizeClaudeOptions({ ollama: true, model: "haiku", ollamaModel: "llama3.2" });
    expect(normalized).toMatchObject({ model: "llama3.2", externalModelOverrides: { haiku: "llama3.2" } });
    // Idempotent: normalizing again changes nothing.
    expect(normalizeClaudeOptions(normalized)).toEqual(normalized);
  });

  it("maps a canonical name through overrides keyed by catalog id, alias, or the name itself", () => {
    expect(normalizeClaudeOptions({ ollama: true, model: "haiku", externalModelOverrides: { "claude-haiku-5-5": "a" } })["model"]).toBe("a");
    expect(normalizeClaudeOptions({ ollama: true, model: "claude-haiku-5-5", externalModelOverrides: { haiku: "b" } })["model"]).toBe("b");
    expect(normalizeClaudeOptions({ ollama: true, model: "my-model", externalModelOverrides: { "my-model": "c" } })["model"]).toBe("c");
    expect(normalizeClaudeOptions({ ollama: true, model: "gemma3" })["model"]).toBe("gemma3");
  });

  it("an override that agrees with ollamaModel is fine", () => {
    expect(normalizeClaudeOptions({ ollama: true, model: "haiku", ollamaModel: "x", externalModelOverrides: { haiku: "x" } })["model"]).toBe("x");
  });

  it("conflicts name their keys", () => {
    expect(conflictKeys({ ollama: true, providerBackend: "anthropic", ollamaModel: "m" })).toEqual(["providerBackend", "ollama", "ollamaModel"]);
    expect(conflictKeys({ ollama: false, ollamaModel: "m" })).toEqual(["ollama", "ollamaModel"]);
    expect(conflictKeys({ ollamaBaseUrl: "http://a:1", anthropicBaseUrl: "http://b:2", model: "m" })).toEqual(["ollamaBaseUrl", "anthropicBaseUrl"]);
    expect(conflictKeys({ ollama: true, model: "haiku", ollamaModel: "x", externalModelOverrides: { haiku: "y" } })).toEqual([
      "externalModelOverrides",
      "ollamaModel",
      "model",
    ]);
    expect(conflictKeys({ ollama: true })).toEqual(["model", "ollamaModel"]);
    expect(conflictKeys({ providerBackend: "ollama" })).toEqual(["model", "ollamaModel"]);
  });
});
