import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { normalizeCodexOptions, normalizeOssBaseUrl } from "./normalize-options.js";

function configError(run: () => unknown): { key: unknown; message: string } {
  const error = expectAsmError(run, "config_invalid");
  return { key: error.details["key"], message: error.reason };
}

describe("normalizeCodexOptions: the Ollama surface", () => {
  it("activates the OSS route with the default model", () => {
    expect(normalizeCodexOptions({ ollama: true })).toEqual({ ollama: true, providerBackend: "oss", ossProvider: "ollama", model: "gpt-oss:20b" });
  });

  it("is requested by any Ollama knob, takes ollamaModel, and normalizes the base URL", () => {
    expect(normalizeCodexOptions({ ollamaModel: "qwen3:8b", ollamaBaseUrl: " http://127.0.0.1:11434/ " })).toMatchObject({
      providerBackend: "oss",
      ossProvider: "ollama",
      model: "qwen3:8b",
      ollamaBaseUrl: "http://127.0.0.1:11434/v1",
    });
    expect(normalizeCodexOptions({ ollamaBaseUrl: "http://127.0.0.1:11434", model: "llama3.2" })).toMatchObject({ providerBackend: "oss", model: "llama3.2" });
  });

  it("accepts an explicit matching backend, provider and model", () => {
    expect(normalizeCodexOptions({ ollama: true, providerBackend: "oss", ossProvider: "ollama", model: "m", ollamaModel: "m" })).toMatchObject({ model: "m" });
  });

  it.each([
    [{ ollama: true, providerBackend: "openai" }, "providerBackend"],
    [{ ollamaModel: "m", providerBackend: "model_provider" }, "providerBackend"],
    [{ ollama: true, ossProvider: "lmstudio" }, "ossProvider"],
    [{ ollama: true, modelProvider: "fake" }, "modelProvider"],
    [{ ollama: true, model: "a", ollamaModel: "b" }, "ollamaModel"],
    [{ ollama: false, ollamaModel: "b" }, "ollamaModel"],
    [{ ollama: true, ollamaBaseUrl: "not a url" }, "ollamaBaseUrl"],
  ])("rejects the conflict %j naming %s", (options, key) => {
    expect(configError(() => normalizeCodexOptions(options)).key).toBe(key);
  });

  it("leaves options without the surface alone", () => {
    expect(normalizeCodexOptions({ model: "gpt-5.5", ollama: false })).toEqual({ model: "gpt-5.5", ollama: false });
  });
});

describe("normalizeCodexOptions: backends", () => {
  it("infers model_provider from modelProvider and oss from ossProvider", () => {
    expect(normalizeCodexOptions({ modelProvider: "fake" })).toEqual({ modelProvider: "fake", providerBackend: "model_provider" });
    expect(normalizeCodexOptions({ ossProvider: "lmstudio" })).toEqual({ ossProvider: "lmstudio", providerBackend: "oss" });
  });

  it("defaults the OSS route to ollama with gpt-oss:20b", () => {
    expect(normalizeCodexOptions({ providerBackend: "oss" })).toEqual({ providerBackend: "oss", ossProvider: "ollama", model: "gpt-oss:20b" });
  });

  it("rejects modelProvider or ossProvider with another backend", () => {
    expect(configError(() => normalizeCodexOptions({ modelProvider: "x", providerBackend: "openai" })).key).toBe("modelProvider");
    expect(configError(() => normalizeCodexOptions({ ossProvider: "ollama", providerBackend: "openai" })).key).toBe("ossProvider");
  });

  it("normalizes CODEX_OSS_BASE_URL in env on the OSS route only", () => {
    expect(normalizeCodexOptions({ providerBackend: "oss", env: { CODEX_OSS_BASE_URL: "http://h:1", X: "1" } }).env).toEqual({ CODEX_OSS_BASE_URL: "http://h:1/v1", X: "1" });
    expect(normalizeCodexOptions({ env: { CODEX_OSS_BASE_URL: "http://h:1" } }).env).toEqual({ CODEX_OSS_BASE_URL: "http://h:1" });
  });

  it("is idempotent", () => {
    const once = normalizeCodexOptions({ ollama: true, ollamaBaseUrl: "http://h:1", env: { CODEX_OSS_BASE_URL: "http://h:2/" } });
    expect(normalizeCodexOptions(once)).toEqual(once);
  });
});

describe("normalizeOssBaseUrl", () => {
  it.each([
    ["http://localhost:11434", "http://localhost:11434/v1"],
    ["http://localhost:11434/", "http://localhost:11434/v1"],
    ["http://localhost:11434/v1/", "http://localhost:11434/v1"],
    ["https://gpu.example/ollama", "https://gpu.example/ollama/v1"],
    ["http://h:1/v1?x=1#y", "http://h:1/v1"],
  ])("%s → %s", (input, output) => {
    expect(normalizeOssBaseUrl(input)).toBe(output);
  });

  it("rejects non-http URLs", () => {
    expect(configError(() => normalizeOssBaseUrl("file:///tmp/x")).message).toContain("http or https");
  });
});
