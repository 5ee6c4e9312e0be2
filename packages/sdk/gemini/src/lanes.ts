import { AsmError, type BackendStartConfig, type Capability, type LaneAvailability, type LaneFeatures, type SdkLaneDefinition } from "@asm/contract";
import { gemini, geminiProfile, type GeminiProfileOptions } from "@asm/gemini";
import { resolveCli, type LaneRunOptions } from "@asm/core-lane";
import { createAcpBackend, type AcpAgentPlan } from "./acp-backend.js";
import { ACP_SDK, defaultAcpSdkLoader, loadAcpSdk, type AcpSdkLoader, type LoadedAcpSdk } from "./sdk-loader.js";

/** What an ACP lane can do, as capability names. */
export const ACP_CAPABILITIES: readonly Capability[] = ["streaming", "tools", "approval", "interrupt", "resume", "thinking", "plan", "multi_turn"];

/** An ACP lane's native features. */
export const ACP_FEATURES: LaneFeatures = {
  approvals: "callback",
  interrupt: "graceful",
  partialText: true,
  structuredOutput: false,
  setModel: false,
  setPermissionMode: true,
  resume: true,
  fork: false,
  mcpInline: false,
  longLivedProcess: true,
};

/** Gemini's native permission modes → its ACP mode ids. */
const GEMINI_ACP_MODES: Readonly<Record<string, string>> = { default: "default", auto_edit: "autoEdit", yolo: "yolo", plan: "plan" };

function lane(provider: string, loader: AcpSdkLoader, name: string, plan: (config: BackendStartConfig, runOptions: LaneRunOptions) => AcpAgentPlan): SdkLaneDefinition {
  let loading: Promise<LoadedAcpSdk> | undefined;
  const load = (): Promise<LoadedAcpSdk> => (loading ??= loadAcpSdk(loader));
  return {
    specificationVersion: "v1",
    provider,
    runtime: ACP_SDK,
    capabilities: ACP_CAPABILITIES,
    features: ACP_FEATURES,
    async probe(): Promise<LaneAvailability> {
      const loaded = await load();
      return loaded.ok ? { available: true } : loaded.availability;
    },
    backend: createAcpBackend({
      provider,
      name,
      capabilities: ACP_CAPABILITIES,
      features: ACP_FEATURES,
      plan,
      async loadModule() {
        const loaded = await load();
        if (!loaded.ok) throw new AsmError("unsupported", `${loaded.availability.reason ?? "the ACP SDK is unavailable"} (${loaded.availability.hint ?? ""})`, { provider, details: { key: "lane" } });
        return loaded.module;
      },
    }),
  };
}

/** Options of {@link geminiAcpLane}. */
export interface GeminiAcpLaneOptions {
  /** Loads the ACP SDK; defaults to a dynamic `import()` of the optional peer. */
  loadSdk?: AcpSdkLoader;
}

/**
 * Gemini's SDK lane: `gemini --acp` driven over the Agent Client Protocol. The binary comes from
 * the core lane's discovery; `session/request_permission` becomes `approval_requested`,
 * `session/cancel` is the interrupt, and a follow-up run is one more prompt on the same process.
 * Gemini options map to the same CLI flags as on the core lane; `systemPrompt` and `cliSessionId`
 * are refused with `config_invalid` (ACP chooses the session id; the prompt file has no ACP form).
 *
 * @example
 * ```ts
 * const asm = createAsm({ providers: [gemini()], lanes: [geminiAcpLane()] });
 * ```
 */
export function geminiAcpLane(options: GeminiAcpLaneOptions = {}): SdkLaneDefinition {
  const definition = gemini();
  const permissionArgs = new Set(Object.values(definition.permissionModes).flatMap((entry) => ("cliArgs" in entry ? entry.cliArgs : [])));
  return lane("gemini", options.loadSdk ?? defaultAcpSdkLoader, "sdk:gemini", (config, runOptions) => {
    const geminiOptions = config.providerOptions as GeminiProfileOptions;
    for (const key of ["systemPrompt", "cliSessionId"] as const) {
      if (geminiOptions[key] !== undefined) {
        throw new AsmError("config_invalid", `the gemini ACP lane cannot honour ${key}`, { provider: "gemini", details: { key } });
      }
    }
    if (geminiOptions.maxLineBytes !== undefined) {
      throw new AsmError("config_invalid", "the gemini ACP lane cannot honour maxLineBytes", { provider: "gemini", details: { key: "maxLineBytes" } });
    }
    let invocation;
    try {
      invocation = geminiProfile.buildInvocation({
        prompt: "",
        options: geminiOptions,
        permissionMode: config.permissionMode,
        nativePermissionMode: config.nativePermissionMode,
        maxArgvPromptBytes: Number.MAX_SAFE_INTEGER,
      });
    } catch (error) {
      throw AsmError.from(error, "config_invalid", { provider: "gemini" });
    }
    // The core lane's flags, minus what ACP replaces: the output format, the prompt, the mode.
    const args: string[] = [];
    for (let index = 0; index < invocation.args.length; index += 1) {
      const arg = invocation.args[index] as string;
      if (arg === "--output-format") {
        index += 1;
        continue;
      }
      if (arg.startsWith("--prompt=") || permissionArgs.has(arg)) continue;
      args.push(arg);
    }
    const cli = resolveCli(geminiProfile.cli, { cliPath: runOptions.cliPath, env: { ...process.env, ...runOptions.env }, cwd: runOptions.cwd });
    const native = config.nativePermissionMode ?? undefined;
    return {
      command: cli.command,
      args: [...cli.prefixArgs, "--acp", ...args],
      env: invocation.env,
      ...(native !== undefined && GEMINI_ACP_MODES[native] !== undefined ? { modeId: GEMINI_ACP_MODES[native] } : {}),
    };
  });
}

/** Options of {@link acpLane}. */
export interface AcpLaneOptions {
  /** The provider the lane serves (`claude`, `codex`, …): the lane stands in for its SDK lane. */
  provider: string;
  /** The agent command (`claude-agent-acp`, `codex-acp`, `gemini`). */
  command: string;
  /** Its arguments (`["--acp"]` for gemini). */
  args?: string[];
  /** Variables for the agent. */
  env?: Record<string, string>;
  /** Auth method for `authenticate` (codex-acp: `openai-api-key`). */
  authMethodId?: string;
  /** Native permission mode → ACP mode id. */
  modes?: Record<string, string>;
  loadSdk?: AcpSdkLoader;
}

/**
 * A lane for any ACP agent command. Provider options are not translated (ACP has no form for
 * them): any provider option other than the common `cliPath`/`cwd`/`env` and timeouts fails with
 * `config_invalid` naming it.
 */
export function acpLane(options: AcpLaneOptions): SdkLaneDefinition {
  const allowed = new Set(["cliPath", "cwd", "env", "idleTimeoutMs", "wallTimeoutMs"]);
  return lane(options.provider, options.loadSdk ?? defaultAcpSdkLoader, `acp:${options.provider}`, (config, runOptions) => {
    for (const [key, value] of Object.entries(config.providerOptions)) {
      if (value === undefined || allowed.has(key) || value === false || (Array.isArray(value) && value.length === 0)) continue;
      throw new AsmError("config_invalid", `the ACP lane for ${options.provider} cannot honour ${key}`, { provider: options.provider, details: { key } });
    }
    const native = config.nativePermissionMode;
    const modeId = native === undefined ? undefined : options.modes?.[native];
    return {
      command: runOptions.cliPath ?? options.command,
      args: [...(options.args ?? [])],
      env: { ...options.env },
      ...(modeId === undefined ? {} : { modeId }),
      ...(options.authMethodId === undefined ? {} : { authMethodId: options.authMethodId }),
    };
  });
}
