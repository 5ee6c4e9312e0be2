import type { BackendStartConfig, Capability, LaneFeatures, ProviderBackend } from "@asm/contract";
import { createLaneSessionBackend, mergeLaneEnv, type LaneRunOptions } from "@asm/core-lane";
import { AcpAgent } from "./internal/acp-agent.js";
import type { AcpSdkModule } from "./internal/acp-shapes.js";

/** How one run starts the agent: the command, its arguments and variables, and the ACP mode. */
export interface AcpAgentPlan {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** ACP mode id for the run's permission mode (`session/set_mode`), if any. */
  modeId?: string;
  /** Auth method for `authenticate`, when the agent needs one. */
  authMethodId?: string;
}

/** Options of {@link createAcpBackend}. */
export interface AcpBackendOptions {
  provider: string;
  /** Backend name (`sdk:gemini`). */
  name: string;
  capabilities: readonly Capability[];
  features: LaneFeatures;
  /** The agent command for a run; throws `config_invalid` for an option it cannot honour. */
  plan(config: BackendStartConfig, runOptions: LaneRunOptions): AcpAgentPlan;
  loadModule(): Promise<AcpSdkModule>;
}

/**
 * A backend that drives any ACP agent command: one agent process and ACP session per ASM session,
 * reused by every run that continues it with the same command; `releaseSession` ends it.
 */
export function createAcpBackend(options: AcpBackendOptions): ProviderBackend {
  return createLaneSessionBackend<AcpAgent>({
    name: options.name,
    provider: options.provider,
    lane: "the ACP lane",
    refusal: "the ACP SDK frames the agent's messages itself",
    resumesLatest: false,
    plan({ config, runOptions, cwd, env: baseEnv }) {
      const plan = options.plan(config, runOptions);
      const resume = config.continuation?.strategy === "exact" ? config.continuation.providerSessionId : undefined;
      const env = mergeLaneEnv(baseEnv, plan.env);
      const processKey = JSON.stringify({ command: plan.command, args: plan.args, env: plan.env, cwd, auth: plan.authMethodId });
      return {
        reuses: (agent) => agent.accepts(processKey, resume),
        open: async () =>
          AcpAgent.start({
            sdk: await options.loadModule(),
            provider: options.provider,
            backendName: options.name,
            command: plan.command,
            args: plan.args,
            cwd,
            env,
            modeId: plan.modeId,
            resumeSessionId: resume,
            authMethodId: plan.authMethodId,
            closeGraceMs: runOptions.closeGraceMs,
            startTimeoutMs: runOptions.idleTimeoutMs,
            stderrTailBytes: runOptions.stderrTailBytes,
            capabilities: options.capabilities,
            features: options.features,
            processKey,
          }),
        begin: (agent) => agent.beginTurn(config, runOptions, plan.modeId),
      };
    },
  });
}
