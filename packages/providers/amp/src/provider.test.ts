import { CAPABILITIES, PERMISSION_MODES } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { ampDiscovery as ampCliDiscovery, AMP_VERIFIED_CLI_VERSION } from "./internal/discovery.js";
import { ampOptionsSchema } from "./options.js";
import { ampPermissionModes } from "./internal/permission-modes.js";
import { amp } from "./provider.js";

describe("amp()", () => {
  const definition = amp();

  it("describes the Amp provider on the core lane", () => {
    expect(definition.name).toBe("amp");
    expect(definition.displayName).toBe("Amp");
    expect(definition.optionsSchema).toBe(ampOptionsSchema);
    expect(definition.admission).toEqual({ maxConcurrentRuns: 1, maxQueuedRuns: 10 });
    expect(definition.profile?.id).toBe("amp");
    expect(definition.profile?.control).toBeUndefined();
    expect(definition.coreBackend).toBeUndefined();
    expect(definition.capabilities).toEqual(definition.profile?.capabilities);
    for (const capability of definition.capabilities) expect(CAPABILITIES).toContain(capability);
    expect(definition.capabilities).toEqual(expect.arrayContaining(["streaming", "tools", "resume", "thinking", "mcp"]));
    expect(definition.capabilities).not.toContain("approval");
  });

  it("has an empty model catalog with no default and no pricing", () => {
    expect(definition.models).toEqual({ defaultModel: null, models: [] });
  });

  it("declares the Ollama surface unsupported, and normalizeOptions enforces it", () => {
    expect(definition.features.commonFeatures.ollama).toMatchObject({
      supported: false,
      commonOptions: ["ollama", "ollamaModel", "ollamaBaseUrl"],
    });
    expect(() => definition.normalizeOptions?.({ ollama: true })).toThrow(/Ollama/);
  });

  it("does not declare any common option key in its schema", () => {
    const common = ["cliPath", "cwd", "env", "extraArgs", "ollama", "ollamaModel", "ollamaBaseUrl", "idleTimeoutMs", "wallTimeoutMs", "maxLineBytes", "approvalTimeoutMs"];
    for (const key of common) expect(Object.keys(ampOptionsSchema.shape)).not.toContain(key);
  });
});

describe("ampPermissionModes", () => {
  it("covers every normalized mode; only bypass has a flag, plan is refused", () => {
    expect(Object.keys(ampPermissionModes).sort()).toEqual([...PERMISSION_MODES].sort());
    const flags = Object.fromEntries(
      Object.entries(ampPermissionModes).map(([mode, entry]) => [mode, "cliArgs" in entry ? entry.cliArgs : entry.unsupported]),
    );
    expect(flags).toEqual({ default: [], auto: [], bypass: ["--dangerously-allow-all"], plan: expect.stringContaining("no read-only plan mode") });
    expect(ampPermissionModes.bypass).toMatchObject({ nativeMode: "dangerously_allow_all", aliases: expect.arrayContaining(["dangerously_allow_all"]) });
    expect(ampPermissionModes.auto).toMatchObject({ nativeMode: "auto", label: expect.stringContaining("native") });
  });
});

describe("ampCliDiscovery", () => {
  it("looks for amp via AMP_CLI_PATH, PATH and the installer's locations", () => {
    expect(ampCliDiscovery.binaryNames).toEqual(["amp"]);
    expect(ampCliDiscovery.envVar).toBe("AMP_CLI_PATH");
    expect(ampCliDiscovery.knownPaths({ HOME: "/home/u" }, "linux")).toEqual(["/home/u/.amp/bin/amp", "/home/u/.local/bin/amp"]);
    expect(ampCliDiscovery.knownPaths({ USERPROFILE: "C:\\Users\\u" }, "win32")).toEqual(["C:\\Users\\u\\.amp\\bin\\amp.exe"]);
    expect(ampCliDiscovery.knownPaths({}, "linux")).toEqual([]);
    expect(ampCliDiscovery.versionArgs).toEqual(["--version"]);
    expect(ampCliDiscovery.supportedVersions).toEqual({ min: AMP_VERIFIED_CLI_VERSION });
  });

  it("parses the version Amp prints", () => {
    expect(ampCliDiscovery.parseVersion("0.0.1790142911-g7618fb (released 2026-09-23T05:55:11.000Z, 1mo ago)\n")).toBe(
      "0.0.1790142911-g7618fb",
    );
    expect(ampCliDiscovery.parseVersion("amp 1.2.3\n")).toBe("1.2.3");
    expect(ampCliDiscovery.parseVersion("Amp native binary not installed")).toBeNull();
  });
});
