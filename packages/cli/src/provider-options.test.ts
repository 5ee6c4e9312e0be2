import { KERNEL_OPTION_KEYS, isAsmError, type BackendStartConfig, type Invocation } from "@asm/contract";
import { createAsm } from "@asm/core";
import { COMMON_PROVIDER_OPTION_KEYS } from "@asm/provider-utils";
import { claude } from "@asm/claude";
import { gemini } from "@asm/gemini";
import { createFakeBackend, fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { loadProviders } from "./providers.js";

// The four real provider definitions against the real kernel: option names cannot collide with the
// kernel's, the kernel validates and normalizes once, and what the profile builds from the result
// is what reaches the CLI. The backend is the test kit's fake, which builds the invocation with the
// provider's own profile from exactly the options the kernel hands over (no CLI runs here; the
// real-CLI tests in packages/e2e cover the same routes end to end).

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

function recordingAsm() {
  const providers = loadProviders();
  const invocations: Array<{ provider: string; config: BackendStartConfig; invocation: Invocation }> = [];
  const asm = createAsm({
    providers,
    config: {
      coreBackend: (provider) =>
        createFakeBackend((config) => {
          const invocation = provider.profile!.buildInvocation({
            prompt: config.prompt,
            options: config.providerOptions,
            ...(config.permissionMode === undefined ? {} : { permissionMode: config.permissionMode }),
            ...(config.nativePermissionMode === undefined ? {} : { nativePermissionMode: config.nativePermissionMode }),
            ...(config.continuation === undefined ? {} : { continuation: config.continuation }),
            maxArgvPromptBytes: 100_000,
          });
          invocations.push({ provider: provider.name, config, invocation });
          return [{ emit: fakeEvents.result("ok") }];
        }),
    },
  });
  return { asm, invocations };
}

describe("provider option names", () => {
  it.each(loadProviders().map((provider) => [provider.name, provider] as const))(
    "%s declares no kernel key and no common key",
    (_name, provider) => {
      const keys = Object.keys(provider.optionsSchema.shape);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => (KERNEL_OPTION_KEYS as readonly string[]).includes(key))).toEqual([]);
      expect(keys.filter((key) => COMMON_PROVIDER_OPTION_KEYS.includes(key))).toEqual([]);
      expect(provider.specificationVersion).toBe("v1");
      expect(provider.profile?.specificationVersion).toBe("v1");
    },
  );
});

describe("options validated once, by the kernel", () => {
  it("rejects invalid provider values as config_invalid naming the key, before any backend starts", async () => {
    const { asm, invocations } = recordingAsm();
    for (const [provider, options, key] of [
      ["claude", { maxTurns: 0 }, "maxTurns"],
      ["claude", { effort: "extreme" }, "effort"],
      ["gemini", { extensions: ["a,b"] }, "extensions"],
      ["gemini", { sandbox: "yes" }, "sandbox"],
      ["gemini", { cliSessionId: "bad id!" }, "cliSessionId"],
      ["gemini", { extraArgs: "--debug" }, "extraArgs"],
      ["codex", { reasoningEffort: "huge" }, "reasoningEffort"],
      ["amp", { mode: " " }, "mode"],
    ] as const) {
      const error = await rejection(asm.query(provider, "hi", options as Record<string, unknown>));
      expect(isAsmError(error) && error.code, `${provider} ${key}`).toBe("config_invalid");
      expect(String((error as Error).message), `${provider} ${key}`).toContain(key);
    }
    expect(invocations).toEqual([]);
    await asm.dispose();
  });

  it("hands the profile the parsed, normalized value: defaults applied, the Ollama route resolved", async () => {
    const { asm, invocations } = recordingAsm();
    await asm.query("claude", "hi", { model: "sonnet" });
    await asm.query("codex", "hi", { ollama: true, ollamaModel: "qwen3:8b" });
    const [claudeRun, codexRun] = invocations;
    // Claude's control protocol is on by default: the kernel applied the schema's default.
    expect(claudeRun?.config.providerOptions).toMatchObject({ model: "sonnet", controlProtocol: true });
    expect(claudeRun?.invocation.args).toContain("--input-format");
    expect(codexRun?.config.providerOptions).toMatchObject({ providerBackend: "oss", ossProvider: "ollama", model: "qwen3:8b" });
    expect(codexRun?.invocation.args.join(" ")).toContain('model_provider="ollama"');
    await asm.dispose();
  });
});

describe("option routing", () => {
  it("Claude's allowRules reach claude as --allowedTools; the kernel's allowedTools stays the kernel's", async () => {
    const { asm, invocations } = recordingAsm();
    await asm.query("claude", "hi", { allowRules: ["Read", "Bash(git *)"], denyRules: ["Bash(rm *)"] });
    expect(invocations[0]?.invocation.args).toEqual(expect.arrayContaining(["--allowedTools=Read,Bash(git *)", "--disallowedTools=Bash(rm *)"]));
    // A Claude permission rule in the kernel's tool-name list would block every Bash call.
    const error = await rejection(asm.query("claude", "hi", { allowedTools: ["Bash(git *)"] }));
    expect(error).toMatchObject({ code: "config_invalid", message: expect.stringContaining("allowRules") });
    await asm.query("claude", "hi", { allowedTools: ["Read"] });
    expect(invocations[1]?.invocation.args.join(" ")).not.toContain("--allowedTools");
    expect(invocations[1]?.config.execution.executionEnvironment.allowedTools).toEqual(["Read"]);
    await asm.dispose();
  });

  it("Gemini's cliSessionId reaches gemini as --session-id; sessionId stays the ASM session's id", async () => {
    const { asm, invocations } = recordingAsm();
    const session = await asm.startSession({ provider: "gemini", sessionId: "asm-session-1", cliSessionId: "gemini-session-1" });
    expect(session.id).toBe("asm-session-1");
    await session.query("hi");
    const args = invocations[0]?.invocation.args ?? [];
    expect(args.slice(args.indexOf("--session-id"), args.indexOf("--session-id") + 2)).toEqual(["--session-id", "gemini-session-1"]);
    expect(invocations[0]?.config.sessionId).toBe("asm-session-1");
    await asm.dispose();
  });

  it.each(["claude", "codex"] as const)("%s: ollamaHttp and ollamaTimeoutMs are refused as unsupported instead of doing nothing", async (provider) => {
    const { asm, invocations } = recordingAsm();
    for (const options of [{ ollama: true, ollamaModel: "m", ollamaHttp: true }, { ollama: true, ollamaModel: "m", ollamaTimeoutMs: 5_000 }]) {
      const error = await rejection(asm.query(provider, "hi", options));
      expect(error).toMatchObject({ code: "unsupported", details: { key: Object.keys(options).at(-1) } });
    }
    expect(invocations).toEqual([]);
    await asm.dispose();
  });
});

describe("typed runtimes", () => {
  it("make a misspelt or foreign option a compile error (checked by tsc) and a config_invalid (checked here)", async () => {
    const asm = createAsm({ providers: [claude(), gemini()], config: { coreBackend: () => createFakeBackend([{ emit: fakeEvents.result("ok") }]) } });
    const typos = [
      // @ts-expect-error — `maxTurn` is misspelt (Claude's key is maxTurns).
      asm.query("claude", "hi", { maxTurn: 3 }),
      // @ts-expect-error — `skipTrust` is Gemini's key, not Claude's.
      asm.query("claude", "hi", { skipTrust: true }),
      // @ts-expect-error — `allowRules` is Claude's key, not Gemini's.
      asm.query("gemini", "hi", { allowRules: ["Read"] }),
    ];
    for (const typo of typos) expect(await rejection(typo)).toMatchObject({ code: "config_invalid" });
    expect(await asm.query("claude", "hi", { maxTurns: 3, allowRules: ["Read"] })).toMatchObject({ status: "completed" });
    await asm.dispose();
  });
});
