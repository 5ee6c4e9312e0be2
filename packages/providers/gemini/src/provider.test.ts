import { PERMISSION_MODES } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { geminiDiscovery } from "./internal/discovery.js";
import { geminiModelPricing } from "./internal/models.js";
import { geminiOptionsSchema } from "./options.js";
import { gemini } from "./provider.js";

describe("gemini()", () => {
  const definition = gemini();

  it("describes the provider and wires the profile", () => {
    expect(definition).toMatchObject({ name: "gemini", displayName: "Gemini CLI", admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 } });
    expect(definition.profile?.id).toBe("gemini");
    expect(definition.profile?.buildInvocation({ prompt: "hi", options: geminiOptionsSchema.parse({}), maxArgvPromptBytes: 1000 }).stdin).toBe("hi");
    expect(definition.capabilities).toEqual(expect.arrayContaining(["streaming", "tools", "interrupt", "resume"]));
    expect(definition.capabilities).not.toContain("approval");
  });

  it("maps every normalized permission mode to a native Gemini mode", () => {
    for (const mode of PERMISSION_MODES) expect(definition.permissionModes[mode]).toHaveProperty("nativeMode");
    expect(definition.permissionModes.bypass).toMatchObject({ nativeMode: "yolo", cliArgs: ["--yolo"] });
  });

  it("marks the common Ollama feature unsupported and rejects its knobs", () => {
    expect(definition.features.commonFeatures.ollama?.supported).toBe(false);
    expect(() => definition.normalizeOptions?.({ ...geminiOptionsSchema.parse({}), ollamaModel: "llama3" })).toThrow(/Ollama/);
  });

  it("defaults to gemini-2.5-flash and prices known models only", () => {
    expect(definition.models.defaultModel).toBe("gemini-2.5-flash");
    expect(geminiModelPricing("gemini-2.5-flash")?.inputPerToken).toBeCloseTo(0.3e-6, 15);
    expect(geminiModelPricing("auto")).toBeUndefined();
    expect(geminiModelPricing("gemini-unknown")).toBeUndefined();
  });
});

describe("geminiDiscovery", () => {
  it("reads the version printed by `gemini --version`", () => {
    expect(geminiDiscovery.parseVersion("0.61.0\n")).toBe("0.61.0");
    expect(geminiDiscovery.parseVersion("no version here")).toBeNull();
  });

  it("lists npm global locations under HOME", () => {
    const paths = geminiDiscovery.knownPaths({ HOME: "/home/u" }, "linux");
    expect(paths).toContain("/home/u/.npm-global/bin/gemini");
    expect(geminiDiscovery.knownPaths({ APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32")).toEqual([
      "C:\\Users\\u\\AppData\\Roaming\\npm\\gemini.cmd",
    ]);
  });
});
