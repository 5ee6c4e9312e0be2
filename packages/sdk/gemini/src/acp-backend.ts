import { statSync } from "node:fs";
import { AsmError, type BackendSession, type BackendStartConfig, type Capability, type LaneFeatures, type ProviderBackend } from "@asm/contract";
import { AcpAgent } from "./internal/acp-agent.js";
import type { AcpSdkModule } from "./internal/acp-shapes.js";
import { parseAcpRunOptions, type AcpRunOptions } from "./internal/run-options.js";

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
  plan(config: BackendStartConfig, runOptions: AcpRunOptions): AcpAgentPlan;
  loadModule(): Promise<AcpSdkModule>;
}

function mergeEnv(...layers: Array<Readonly<Record<string, string | undefined>> | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const layer of layers) if (layer !== undefined) Object.assign(env, layer);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * A backend that drives any ACP agent command: one agent process and ACP session per ASM session,
 * reused by every run that continues it with the same command; `releaseSession` ends it.
 */
export function createAcpBackend(options: AcpBackendOptions): ProviderBackend {
  const live = new Map<string, AcpAgent>();
  return {
    specificationVersion: "v1",
    name: options.name,
    async start(config: BackendStartConfig): Promise<BackendSession> {
      if (config.execution.executionSurface.kind !== "local") {
        throw new AsmError("unsupported", `the ACP lane runs locally only, not on the ${config.execution.executionSurface.kind} surface`, {
          provider: options.provider,
          details: { key: "executionSurface" },
        });
      }
      const runOptions = parseAcpRunOptions(config.backendOptions);
      const plan = options.plan(config, runOptions);
      const cwd = runOptions.cwd ?? config.execution.executionEnvironment.workspaceRoot ?? process.cwd();
      let isDir = false;
      try {
        isDir = statSync(cwd).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new AsmError("config_invalid", `working directory ${cwd} does not exist or is not a folder`, { details: { cwd } });
      if (config.continuation?.strategy === "latest") {
        throw new AsmError("unsupported", "the ACP lane resumes a session by id only", { provider: options.provider, details: { key: "continuation" } });
      }
      const resume = config.continuation?.strategy === "exact" ? config.continuation.providerSessionId : undefined;
      const env = mergeEnv(process.env, runOptions.env, plan.env);
      const processKey = JSON.stringify({ command: plan.command, args: plan.args, env: plan.env, cwd, auth: plan.authMethodId });

      let agent = live.get(config.sessionId);
      if (agent !== undefined && !agent.accepts(processKey, resume)) {
        live.delete(config.sessionId);
        await agent.close();
        agent = undefined;
      }
      if (agent === undefined) {
        const sdk = await options.loadModule();
        agent = await AcpAgent.start({
          sdk,
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
          capabilities: options.capabilities,
          features: options.features,
          processKey,
        });
        live.set(config.sessionId, agent);
      }
      const turn = await agent.beginTurn(config, runOptions, plan.modeId);
      if (config.signal !== undefined) {
        const signal = config.signal;
        if (signal.aborted) void turn.close();
        else signal.addEventListener("abort", () => void turn.close(), { once: true });
      }
      return turn;
    },
    async releaseSession(sessionId: string): Promise<void> {
      const agent = live.get(sessionId);
      if (agent === undefined) return;
      live.delete(sessionId);
      await agent.close();
    },
  };
}
