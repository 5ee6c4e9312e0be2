import { AsmError, type ProviderBackend, type SdkLaneDefinition } from "@asm/contract";
import { createFakeBackend, fakeEvents, fakeProvider } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveExecution } from "../src/execution/execution-config.js";
import { createAsm } from "../src/index.js";
import { collect, rejectsWithCode, setup } from "./helpers.js";

const ok = [{ emit: fakeEvents.result("ok") }];

describe("option layering and validation", () => {
  it("per-run options override session defaults key by key", async () => {
    const schema = z.strictObject({ model: z.string().optional(), effort: z.string().optional() });
    const { asm, backend } = setup(ok, { optionsSchema: schema });
    const session = await asm.startSession({ provider: "fake", model: "m-session", effort: "low", env: { A: "1" } });
    await session.query("hi", { model: "m-run" });
    const start = backend.record.starts[0]!;
    expect(start.providerOptions).toMatchObject({ model: "m-run", effort: "low", env: { A: "1" } });
    expect(start.backendOptions).toMatchObject({ env: { A: "1" } });
  });

  it("fails unknown provider options naming the key", async () => {
    const { asm } = setup(ok);
    const session = await asm.startSession({ provider: "fake", bogusKey: 1 });
    const error = await rejectsWithCode(session.query("hi"), "config_invalid");
    expect(error.message).toContain('"bogusKey"');
    expect(error.details.keys).toEqual(["bogusKey"]);
  });

  it("fails an ill-typed option naming it", async () => {
    const { asm } = setup(ok);
    const error = await rejectsWithCode(asm.query("fake", "hi", { idleTimeoutMs: -5 }), "config_invalid");
    expect(error.message).toContain('"idleTimeoutMs"');
  });

  it("maps the permission mode onto the native mode", async () => {
    const { asm, backend } = setup(ok);
    await asm.query("fake", "hi", { permissionMode: "bypass" });
    expect(backend.record.starts[0]).toMatchObject({ permissionMode: "bypass", nativePermissionMode: "yolo" });
    expect(backend.record.starts[0]?.execution.providerPermissionMode).toBe("yolo");
  });

  it("refuses a mode the provider cannot honour, and non-normalized names", async () => {
    const { asm } = setup(ok);
    const unsupported = await rejectsWithCode(asm.query("fake", "hi", { permissionMode: "plan" }), "unsupported");
    expect(unsupported.message).toContain("no plan mode");
    // @ts-expect-error — not a normalized mode: untyped callers (JSON, the CLI) can still send one.
    await rejectsWithCode(asm.query("fake", "hi", { permissionMode: "yolo" }), "config_invalid");
  });

  it("derives the permission mode from approvalPosture and refuses posture none", async () => {
    const { asm, backend } = setup(ok);
    await asm.query("fake", "hi", { approvalPosture: "auto" });
    expect(backend.record.starts[0]).toMatchObject({ permissionMode: "auto", nativePermissionMode: "auto_edit" });
    await rejectsWithCode(asm.startSession({ provider: "fake", approvalPosture: "none" }), "unsupported");
    const session = await asm.startSession({ provider: "fake" });
    await rejectsWithCode(session.query("hi", { approvalPosture: "none" }), "unsupported");
  });

  it("rejects legacy top-level surface keys with a message naming executionSurface", async () => {
    const { asm } = setup(ok);
    const error = await rejectsWithCode(asm.startSession({ provider: "fake", surfaceKind: "ssh_exec" }), "config_invalid");
    expect(error.message).toContain("executionSurface");
  });

  it("uses workspaceRoot as the process cwd unless cwd is given", async () => {
    const { asm, backend } = setup(ok);
    await asm.query("fake", "hi", { workspaceRoot: "/tmp/ws" });
    expect(backend.record.starts[0]?.backendOptions.cwd).toBe("/tmp/ws");
    await asm.query("fake", "hi", { workspaceRoot: "/tmp/ws", cwd: "/tmp/other" });
    expect(backend.record.starts[1]?.backendOptions.cwd).toBe("/tmp/other");
  });

  it("refuses session-only keys on a run", async () => {
    const { asm } = setup(ok);
    const session = await asm.startSession({ provider: "fake" });
    await rejectsWithCode(session.query("hi", { maxConcurrentRuns: 3 }), "config_invalid");
  });

  it("refuses a provider whose schema declares a common or a kernel key", () => {
    const common = fakeProvider(ok, { optionsSchema: z.strictObject({ cwd: z.string() }) });
    expect(() => createAsm({ providers: [common] })).toThrow(/declares keys the kernel owns: cwd/);
    // A kernel key would be taken by the kernel and never reach the provider.
    for (const key of ["allowedTools", "sessionId", "runId", "executionSurface", "transportCallTimeoutMs"]) {
      const shadowed = fakeProvider(ok, { optionsSchema: z.strictObject({ [key]: z.string().optional() }) });
      expect(() => createAsm({ providers: [shadowed] }), key).toThrow(new RegExp(`declares keys the kernel owns: ${key}`));
    }
  });

  it("refuses common keys nothing honours, naming what to use, before the backend starts", async () => {
    const { asm, backend } = setup(ok);
    const http = await rejectsWithCode(asm.query("fake", "hi", { ollamaHttp: true }), "unsupported");
    expect(http.message).toContain("ollamaBaseUrl");
    const timeout = await rejectsWithCode(asm.query("fake", "hi", { ollamaTimeoutMs: 1000 }), "unsupported");
    expect(timeout.message).toContain("idleTimeoutMs");
    expect(backend.record.starts).toHaveLength(0);
  });

  it("refuses a permission rule in the kernel's allowedTools, pointing at the provider option", async () => {
    const { asm, backend } = setup(ok);
    const error = await rejectsWithCode(asm.query("fake", "hi", { allowedTools: ["Read", "Bash(git *)"] }), "config_invalid");
    expect(error.message).toContain("allowRules");
    expect(backend.record.starts).toHaveLength(0);
  });

  it("refuses providers, profiles, backends and lanes of another contract version, naming them", () => {
    const legacy = { ...fakeProvider(ok), specificationVersion: "v0" } as unknown as ReturnType<typeof fakeProvider>;
    expect(() => createAsm({ providers: [legacy] })).toThrow(/provider fake implements contract specification "v0"; this kernel speaks v1/);
    const { specificationVersion: _version, ...unversioned } = fakeProvider(ok);
    expect(() => createAsm({ providers: [unversioned as ReturnType<typeof fakeProvider>] })).toThrow(/specification \(none\)/);
    const oldBackend = { ...createFakeBackend(ok), specificationVersion: "v2" } as unknown as ProviderBackend;
    expect(() => createAsm({ providers: [fakeProvider(ok)], lanes: [sdkLane("fake", true, oldBackend)] })).toThrow(/backend fake implements contract specification "v2"/);
    const thrown = (() => {
      try {
        createAsm({ providers: [legacy] });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(thrown).toMatchObject({ code: "unsupported", details: { key: "specificationVersion", specificationVersion: "v0" } });
  });

  it("rejects an unknown provider with not_found", async () => {
    const { asm } = setup(ok);
    await rejectsWithCode(asm.startSession({ provider: "nope" }), "not_found");
  });

  it("applies the provider's normalizeOptions after validation", async () => {
    const { asm, backend } = setup(ok, {
      normalizeOptions: (options) => {
        if (options.ollama) throw new AsmError("config_invalid", "fake does not support the common Ollama surface");
        return { ...options, model: options.model ?? "normalized-default" };
      },
    });
    await asm.query("fake", "hi");
    expect(backend.record.starts[0]?.providerOptions.model).toBe("normalized-default");
    await rejectsWithCode(asm.query("fake", "hi", { ollama: true }), "config_invalid");
  });
});

describe("execution config precedence", () => {
  it("driverOpts (run over session) > run > session > runtime > defaults, per field", () => {
    const resolved = resolveExecution(
      { transportCallTimeoutMs: 200, lane: "core", executionSurface: { transportOptions: { a: 1 }, observability: { s: 1 } }, driverOpts: { transportCallTimeoutMs: 400 } },
      { transportCallTimeoutMs: 300, executionSurface: { transportOptions: { b: 2 } }, driverOpts: { transportCallTimeoutMs: 500 } },
      { transportCallTimeoutMs: 100, streamTimeoutMs: 7 },
    );
    expect(resolved.config.transportCallTimeoutMs).toBe(500);
    expect(resolved.lane).toBe("core");
    expect(resolved.streamTimeoutMs).toBe(7);
    expect(resolved.queueTimeoutMs).toBe(Number.POSITIVE_INFINITY);
    expect(resolved.config.executionSurface).toMatchObject({ kind: "local", transportOptions: { a: 1, b: 2 }, observability: { s: 1 } });
    expect(resolveExecution({ transportCallTimeoutMs: 200 }, {}, { transportCallTimeoutMs: 100 }).config.transportCallTimeoutMs).toBe(200);
    expect(resolveExecution({}, {}, {}).config.transportCallTimeoutMs).toBe(5_000);
  });

  it("merges environments per present key and dedupes allowed tools", () => {
    const resolved = resolveExecution(
      { executionEnvironment: { workspaceRoot: "/a", allowedTools: ["Read", "Read", " Bash "] }, approvalPosture: "manual" },
      { permissionMode: "bypass" },
    );
    expect(resolved.config.executionEnvironment).toEqual({ workspaceRoot: "/a", allowedTools: ["Read", "Bash"], approvalPosture: "manual", permissionMode: "bypass" });
  });

  it("rejects invalid surfaces, modes, environments and timeouts", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as AsmError).code;
      }
      return "none";
    };
    expect(code(() => resolveExecution({ executionSurface: { kind: "moon" } }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ executionSurface: { kind: "ssh_exec" } }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ executionMode: "cloud" }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ executionMode: "remote_node" }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ executionEnvironment: { color: "red" } }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ allowedTools: [""] }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({ lane: "fast" }, {}))).toBe("config_invalid");
    expect(code(() => resolveExecution({}, { streamTimeoutMs: 0 }))).toBe("config_invalid");
    expect(resolveExecution({ executionSurface: { kind: "ssh_exec", transportOptions: { destination: "h" } } }, {}).config.executionSurface.kind).toBe("ssh_exec");
  });
});

function sdkLane(provider: string, available: boolean, backend: ProviderBackend): SdkLaneDefinition {
  return {
    specificationVersion: "v1",
    provider,
    runtime: "fake-sdk",
    capabilities: ["streaming", "resume"],
    probe: () => Promise.resolve(available ? { available: true } : { available: false, reason: "fake-sdk is not installed" }),
    backend,
  };
}

describe("lanes", () => {
  it("auto picks the SDK when available and core otherwise; fields appear in events and results", async () => {
    const sdkBackend = createFakeBackend(ok, { name: "sdk:fake" });
    const provider = fakeProvider(ok);
    const asm = createAsm({ providers: [provider], lanes: [sdkLane("fake", true, sdkBackend)] });
    const result = await asm.query("fake", "hi");
    expect(result.metadata).toMatchObject({ requestedLane: "auto", preferredLane: "sdk", lane: "sdk", laneReason: "sdk_available", backend: "sdk:fake", sdkAvailable: true });
    expect(sdkBackend.record.starts).toHaveLength(1);
    const core = await asm.query("fake", "hi", { lane: "core" });
    expect(core.metadata).toMatchObject({ lane: "core", laneReason: "explicit_core" });
    expect(provider.backend.record.starts).toHaveLength(1);
    expect(await asm.laneInfo("fake", { lane: "sdk" })).toMatchObject({ preferredLane: "sdk", laneReason: "explicit_sdk", capabilities: ["streaming", "resume"] });
    expect(await asm.providerInfo("fake")).toMatchObject({ sdkAvailable: true, availableLanes: ["core", "sdk"], sdkRuntime: "fake-sdk" });
  });

  it("an explicit sdk lane that is unavailable is a config error naming the reason", async () => {
    const asm = createAsm({ providers: [fakeProvider(ok)], lanes: [sdkLane("fake", false, createFakeBackend(ok))] });
    const error = await rejectsWithCode(asm.query("fake", "hi", { lane: "sdk" }), "unsupported");
    expect(error.message).toContain("fake-sdk is not installed");
    expect(await asm.resolve("fake", {})).toMatchObject({ lane: "core", laneReason: "sdk_unavailable", laneFallbackReason: "sdk_unavailable" });
    expect(await asm.resolve("fake", { lane: "core" })).toMatchObject({ lane: "core", laneFallbackReason: null });
    expect(await asm.providerInfo("fake")).toMatchObject({ sdkAvailable: false, sdkUnavailableReason: "fake-sdk is not installed", availableLanes: ["core"] });
    const bare = createAsm({ providers: [fakeProvider(ok)] });
    expect(await bare.resolve("fake", {})).toMatchObject({ lane: "core", laneFallbackReason: null });
  });

  it("remote_node: auto falls back to core, explicit sdk is refused", async () => {
    const asm = createAsm({ providers: [fakeProvider(ok)], lanes: [sdkLane("fake", true, createFakeBackend(ok))] });
    expect(await asm.resolve("fake", { lane: "auto", executionMode: "remote_node" })).toMatchObject({
      lane: "core",
      preferredLane: "sdk",
      laneFallbackReason: "sdk_remote_unsupported",
      executionMode: "remote_node",
    });
    await rejectsWithCode(asm.resolve("fake", { lane: "sdk", executionMode: "remote_node" }), "config_invalid");
    await rejectsWithCode(asm.resolve("fake", { lane: "warp" as "core" }), "config_invalid");
  });

  it("remote_node runs use the configured remote backend", async () => {
    const remote = createFakeBackend(ok, { name: "remote:fake" });
    const asm = createAsm({ providers: [fakeProvider(ok)], config: { remoteBackend: () => remote } });
    const result = await asm.query("fake", "hi", { executionMode: "remote_node", remote: { node: "node-a" } });
    expect(result.metadata).toMatchObject({ executionMode: "remote_node", backend: "remote:fake", lane: "core" });
    expect(remote.record.starts[0]?.execution.remote).toEqual({ node: "node-a" });
    const bare = createAsm({ providers: [fakeProvider(ok)] });
    await rejectsWithCode(bare.query("fake", "hi", { executionMode: "remote_node", remote: { node: "n" } }), "unsupported");
  });

  it("protects lane metadata from backend overrides", async () => {
    const { asm } = setup([{ emit: { kind: "result", payload: { text: "x" }, metadata: { lane: "sdk", note: "kept" } } }]);
    const events = await collect(asm.stream("fake", "hi"));
    const result = events.find((e) => e.kind === "result");
    expect(result?.metadata).toMatchObject({ lane: "core", note: "kept" });
  });

  it("a run-level backend override is recorded as backend_override", async () => {
    const override = createFakeBackend(ok, { name: "override" });
    const { asm } = setup(ok);
    const result = await asm.query("fake", "hi", { backend: override });
    expect(result.metadata).toMatchObject({ laneReason: "backend_override", backend: "override" });
  });
});

describe("provider features manifest", () => {
  it("exposes native permission modes, aliases and common features", () => {
    const { asm } = setup(ok);
    const manifest = asm.manifest("fake");
    expect(Object.keys(manifest.permissionModes)).toEqual(["default", "auto_edit", "yolo"]);
    expect(asm.permissionMode("fake", "yolo")).toMatchObject({ normalizedMode: "bypass", cliArgs: ["--yolo"] });
    expect(() => asm.permissionMode("fake", "bypass")).toThrow(AsmError);
    expect(asm.supportsCommonFeature("fake", "ollama")).toBe(false);
    expect(asm.commonFeature("fake", "ollama").commonOptions).toContain("ollamaModel");
    expect(() => asm.commonFeature("fake", "teleport")).toThrow(/unknown common feature/);
  });
});
