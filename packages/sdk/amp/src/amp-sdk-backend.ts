import { AsmError, backendEvent, isOutcomeEvent, type ApprovalDecision, type BackendEvent, type BackendInfo, type BackendSession, type BackendStartConfig, type Capability, type LaneFeatures, type ProviderBackend } from "@asm/contract";
import { ampProfile, type AmpProfileOptions } from "@asm/amp";
import type { AmpSdkModule } from "./sdk-loader.js";

/** What the Amp SDK lane can do, as capability names. */
export const AMP_SDK_CAPABILITIES: readonly Capability[] = ["streaming", "tools", "resume", "cost"];

/** The Amp SDK lane's native features: no approval callback, abort kills the process. */
export const AMP_SDK_FEATURES: LaneFeatures = {
  approvals: "static",
  interrupt: "kill",
  partialText: false,
  structuredOutput: false,
  setModel: false,
  setPermissionMode: false,
  resume: true,
  fork: false,
  mcpInline: false,
  longLivedProcess: false,
};

const HONOURED = new Set(["cwd", "env", "mode", "idleTimeoutMs", "wallTimeoutMs"]);

/** SDK options for one run; anything the SDK has no form for fails with `config_invalid`. */
function sdkOptions(config: BackendStartConfig): Record<string, unknown> {
  const options = config.providerOptions as AmpProfileOptions & Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || HONOURED.has(key) || value === false || (Array.isArray(value) && value.length === 0)) continue;
    throw new AsmError("config_invalid", `the amp sdk lane cannot honour ${key}`, { provider: "amp", details: { key } });
  }
  if (config.continuation?.strategy === "latest") throw new AsmError("unsupported", "the amp sdk lane resumes a thread by id only", { provider: "amp", details: { key: "continuation" } });
  const cwd = typeof config.backendOptions.cwd === "string" ? config.backendOptions.cwd : config.execution.executionEnvironment.workspaceRoot;
  return {
    ...(cwd === undefined ? {} : { cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(config.permissionMode === "bypass" ? { dangerouslyAllowAll: true } : {}),
    ...(config.continuation?.strategy === "exact" ? { continue: config.continuation.providerSessionId } : {}),
  };
}

/** One run: `execute()`'s messages are Amp's Claude-compatible stream JSON, read by Amp's parser. */
class AmpSdkRun implements BackendSession {
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  constructor(
    private readonly sdk: AmpSdkModule,
    private readonly config: BackendStartConfig,
    private readonly options: Record<string, unknown>,
  ) {
    this.done = Promise.resolve();
  }

  async *stream(): AsyncGenerator<BackendEvent> {
    const parser = ampProfile.createParser({ provider: "amp", reply: () => undefined });
    let settled = false;
    try {
      for await (const message of this.sdk.execute({ prompt: this.config.prompt, options: this.options, signal: this.abort.signal })) {
        let line: string;
        try {
          line = JSON.stringify(message);
        } catch {
          continue;
        }
        for (const event of parser.line(line)) {
          yield event;
          if (isOutcomeEvent(event)) settled = true;
        }
        if (settled) return;
      }
      for (const event of parser.exit({ exitCode: 0, signal: null, stderrTail: "", outcomeSeen: false })) {
        yield event;
        if (isOutcomeEvent(event)) return;
      }
      yield backendEvent("error", { message: "the Amp SDK ended without a result", code: "transport_error", severity: "fatal" });
    } catch (error) {
      if (settled) return;
      yield this.abort.signal.aborted
        ? backendEvent("error", { message: "the run was stopped", code: "user_cancelled", severity: "error" })
        : backendEvent("error", { message: `the Amp SDK failed: ${error instanceof Error ? error.message : String(error)}`, code: "transport_error", severity: "fatal" });
    }
  }

  events(): AsyncIterable<BackendEvent> {
    return this.stream();
  }

  sendInput(): Promise<void> {
    return Promise.reject(new AsmError("unsupported", "the amp sdk lane takes no input after the prompt", { provider: "amp" }));
  }

  endInput(): Promise<void> {
    return Promise.resolve();
  }

  /** The SDK has no graceful interrupt: its abort signal stops the CLI. */
  interrupt(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.abort.abort();
    return this.done;
  }

  respondToApproval(_approvalId: string, _decision: ApprovalDecision): Promise<void> {
    return Promise.reject(new AsmError("unsupported", "the Amp SDK has no approval callback (permissions are static rules)", { provider: "amp" }));
  }

  info(): BackendInfo {
    return {
      provider: "amp",
      lane: "sdk",
      backend: "sdk:amp",
      runtime: "amp-sdk",
      capabilities: [...AMP_SDK_CAPABILITIES],
      features: { ...AMP_SDK_FEATURES },
      session: { ...(typeof this.options.cwd === "string" ? { cwd: this.options.cwd } : {}) },
      observability: {},
    };
  }
}

/** The Amp SDK lane's backend: one `execute()` per run. */
export function createAmpSdkBackend(loadModule: () => Promise<AmpSdkModule>): ProviderBackend {
  return {
    specificationVersion: "v1",
    name: "sdk:amp",
    async start(config: BackendStartConfig): Promise<BackendSession> {
      const options = sdkOptions(config);
      const sdk = await loadModule();
      const run = new AmpSdkRun(sdk, config, options);
      config.signal?.addEventListener("abort", () => void run.close(), { once: true });
      return run;
    },
  };
}
