import { CAPABILITIES, PERMISSION_MODES } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { codexDiscovery } from "./internal/discovery.js";
import { codexFeatures } from "./internal/features.js";
import { codexModels, findCodexModel } from "./internal/models.js";
import { codexPermissionModes } from "./internal/permission-modes.js";
import { codex } from "./provider.js";

describe("codex()", () => {
  it("describes the provider with its profile and normalization", () => {
    const provider = codex();
    expect(provider).toMatchObject({ name: "codex", displayName: "OpenAI Codex", aliases: ["codex_exec"], admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 } });
    expect(provider.profile?.id).toBe("codex");
    expect(provider.profile?.cli).toBe(codexDiscovery);
    expect(provider.normalizeOptions?.({ skipGitRepoCheck: false, ollama: true })).toMatchObject({ providerBackend: "oss" });
    expect(provider.optionsSchema.safeParse({ model: "gpt-5.5" }).success).toBe(true);
    for (const capability of provider.capabilities) expect(CAPABILITIES).toContain(capability);
    expect(provider.capabilities).not.toContain("approval");
    expect(provider.profile?.capabilities).toEqual(provider.capabilities);
  });

  it("creates independent parsers", () => {
    const profile = codex().profile;
    const a = profile?.createParser({ provider: "codex", reply: () => undefined });
    const b = profile?.createParser({ provider: "codex", reply: () => undefined });
    a?.line('{"type":"thread.started","thread_id":"t-a"}');
    const events = b?.line('{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"x"}}') ?? [];
    expect(events[0]?.providerSessionId).toBeUndefined();
  });
});

describe("codexPermissionModes", () => {
  it("covers every normalized mode: default and bypass render, auto and plan say why not", () => {
    expect(Object.keys(codexPermissionModes).sort()).toEqual([...PERMISSION_MODES].sort());
    expect(codexPermissionModes.default).toMatchObject({ nativeMode: "default", cliArgs: [] });
    expect(codexPermissionModes.bypass).toMatchObject({ nativeMode: "yolo", cliArgs: ["--dangerously-bypass-approvals-and-sandbox"] });
    expect(codexPermissionModes.auto).toEqual({ unsupported: expect.stringContaining("approval") });
    expect(codexPermissionModes.plan).toEqual({ unsupported: expect.stringContaining("no plan flag") });
  });
});

describe("codexFeatures", () => {
  it("supports the common ollama surface through the OSS backend", () => {
    expect(codexFeatures.commonFeatures.ollama).toMatchObject({
      supported: true,
      activation: { providerBackend: "oss", ossProvider: "ollama" },
      modelStrategy: "direct_external",
      compatibility: { defaultModel: "gpt-oss:20b" },
    });
  });
});

describe("codexModels", () => {
  it("leaves the default to the CLI and prices the models with public prices", () => {
    expect(codexModels.defaultModel).toBeNull();
    expect(findCodexModel("gpt-5.5")?.pricing).toEqual({ inputPerToken: 5e-6, cacheReadPerToken: 0.5e-6, outputPerToken: 30e-6 });
    expect(findCodexModel("gpt-6-sol")?.pricing).toBeUndefined();
    expect(findCodexModel("gpt-oss:20b")?.pricing).toBeUndefined();
    expect(findCodexModel("nope")).toBeUndefined();
    expect(findCodexModel(undefined)).toBeUndefined();
    const ids = codexModels.models.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("codexDiscovery", () => {
  it("parses the version output", () => {
    expect(codexDiscovery.parseVersion("codex-cli 0.169.0\n")).toBe("0.169.0");
    expect(codexDiscovery.parseVersion("codex-cli 0.170.0-alpha.2")).toBe("0.170.0-alpha.2");
    expect(codexDiscovery.parseVersion("garbage")).toBeNull();
  });

  it("lists known locations per platform", () => {
    expect(codexDiscovery.knownPaths({ HOME: "/home/u" }, "linux")).toEqual([
      "/home/u/.npm-global/bin/codex",
      "/home/u/.local/bin/codex",
      "/home/u/.cargo/bin/codex",
      "/usr/local/bin/codex",
    ]);
    expect(codexDiscovery.knownPaths({ HOME: "/Users/u" }, "darwin")).toContain("/opt/homebrew/bin/codex");
    expect(codexDiscovery.knownPaths({ APPDATA: "C:\\AppData" }, "win32")).toEqual(["C:\\AppData\\npm\\codex.cmd"]);
    expect(codexDiscovery).toMatchObject({ envVar: "CODEX_PATH", binaryNames: ["codex"], versionArgs: ["--version"], supportedVersions: { min: "0.169.0" } });
  });
});
