import { describe, expect, it } from "vitest";
import { COMMON_PROVIDER_OPTION_KEYS, commonProviderOptionsSchema } from "./common-options.js";
import { OLLAMA_KNOB_KEYS, OLLAMA_OPTION_KEYS } from "./ollama-options.js";

describe("commonProviderOptionsSchema", () => {
  it("accepts the common keys and refuses unknown ones", () => {
    expect(commonProviderOptionsSchema.safeParse({ cwd: "/w", env: { A: "1" }, extraArgs: ["-v"], ollama: true, wallTimeoutMs: 5 }).success).toBe(true);
    expect(commonProviderOptionsSchema.safeParse({ model: "x" }).success).toBe(false);
    expect(commonProviderOptionsSchema.safeParse({ ollamaBaseUrl: "not a url" }).success).toBe(false);
  });

  it("lists every key, including the whole Ollama surface", () => {
    expect(COMMON_PROVIDER_OPTION_KEYS).toEqual(expect.arrayContaining(["cliPath", "cwd", "env", "extraArgs", "idleTimeoutMs", "wallTimeoutMs", "maxLineBytes"]));
    for (const key of OLLAMA_OPTION_KEYS) expect(COMMON_PROVIDER_OPTION_KEYS).toContain(key);
    expect(OLLAMA_KNOB_KEYS).toEqual(OLLAMA_OPTION_KEYS.slice(1));
  });

  it("holds no key that nothing honours (the kernel refuses those by name)", () => {
    expect(commonProviderOptionsSchema.safeParse({ ollamaHttp: true }).success).toBe(false);
    expect(commonProviderOptionsSchema.safeParse({ ollamaTimeoutMs: 1000 }).success).toBe(false);
  });
});
