import { isAsmError } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { OLLAMA_OPTION_KEYS, ollamaKnobsSet, rejectOllamaOptions, requestedOllamaKeys, supportedOllamaFeature, unsupportedOllamaFeature } from "./ollama-options.js";

describe("the Ollama surface", () => {
  it("counts ollama: true and every knob that is set", () => {
    expect(requestedOllamaKeys({})).toEqual([]);
    expect(requestedOllamaKeys({ ollama: false, ollamaModel: "", ollamaBaseUrl: null })).toEqual([]);
    expect(requestedOllamaKeys({ ollama: true, ollamaBaseUrl: "http://127.0.0.1:11434", ollamaModel: "m" })).toEqual(["ollama", "ollamaModel", "ollamaBaseUrl"]);
    expect(ollamaKnobsSet({ ollama: true, ollamaModel: "m" })).toEqual(["ollamaModel"]);
    // Inherited members are not options.
    expect(requestedOllamaKeys(Object.create({ ollama: true, ollamaModel: "m" }) as Record<string, unknown>)).toEqual([]);
  });

  it("rejectOllamaOptions fails closed, naming the keys", () => {
    const refusal = { provider: "amp", displayName: "Amp", reason: "Amp runs on Amp's servers." };
    expect(() => rejectOllamaOptions({ model: "x" }, refusal)).not.toThrow();
    let thrown: unknown;
    try {
      rejectOllamaOptions({ ollama: true, ollamaBaseUrl: "http://127.0.0.1:11434" }, refusal);
    } catch (error) {
      thrown = error;
    }
    expect(isAsmError(thrown)).toBe(true);
    if (!isAsmError(thrown)) return;
    expect(thrown.code).toBe("unsupported");
    expect(thrown.provider).toBe("amp");
    expect(thrown.reason).toBe("Amp does not support the common Ollama surface (set: ollama, ollamaBaseUrl); Amp runs on Amp's servers.");
    expect(thrown.details).toEqual({ keys: ["ollama", "ollamaBaseUrl"], feature: "ollama" });
  });

  it("the feature entries list the whole surface", () => {
    expect(unsupportedOllamaFeature("no route")).toEqual({ supported: false, commonOptions: OLLAMA_OPTION_KEYS, notes: "no route" });
    expect(supportedOllamaFeature({ activation: { providerBackend: "oss" }, notes: "n" })).toEqual({
      supported: true,
      commonOptions: OLLAMA_OPTION_KEYS,
      activation: { providerBackend: "oss" },
      notes: "n",
    });
  });
});
