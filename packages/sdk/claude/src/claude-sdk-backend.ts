import { statSync } from "node:fs";
import { AsmError, type BackendSession, type BackendStartConfig, type Capability, type LaneFeatures, type ProviderBackend } from "@asm/contract";
import { claudeProfile } from "@asm/claude";
import { resolveCli } from "@asm/core-lane";
import { LiveQuery } from "./internal/live-query.js";
import { parseSdkLaneRunOptions } from "./internal/run-options.js";
import type { ClaudeSdkModule } from "./internal/sdk-shapes.js";
import { planClaudeSdkRun } from "./internal/sdk-options.js";

/** What the Claude SDK lane can do, as capability names. */
export const CLAUDE_SDK_CAPABILITIES: readonly Capability[] = [
  "streaming",
  "tools",
  "approval",
  "interrupt",
  "resume",
  "cost",
  "thinking",
  "structured_output",
  "multi_turn",
  "mcp",
  "control_protocol",
];

/** The Claude SDK lane's native features. */
export const CLAUDE_SDK_FEATURES: LaneFeatures = {
  approvals: "callback",
  interrupt: "graceful",
  partialText: true,
  structuredOutput: true,
  setModel: true,
  setPermissionMode: true,
  resume: true,
  fork: false,
  mcpInline: true,
  longLivedProcess: true,
};

function mergeEnv(...layers: Array<Readonly<Record<string, string | undefined>> | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const layer of layers) if (layer !== undefined) Object.assign(env, layer);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The Claude SDK lane's backend: one live `query()` per ASM session, reused by every run of that
 * session that continues the same Claude session with the same fixed options; anything else
 * (another working directory, system prompt, tools…) starts a fresh process resuming the session.
 * `releaseSession` (from `stopSession`) ends the process.
 */
export function createClaudeSdkBackend(loadModule: () => Promise<ClaudeSdkModule>): ProviderBackend {
  const live = new Map<string, LiveQuery>();
  return {
    specificationVersion: "v1",
    name: "sdk:claude",
    async start(config: BackendStartConfig): Promise<BackendSession> {
      if (config.execution.executionSurface.kind !== "local") {
        throw new AsmError("unsupported", `the claude sdk lane runs locally only, not on the ${config.execution.executionSurface.kind} surface`, {
          provider: "claude",
          details: { key: "executionSurface" },
        });
      }
      const runOptions = parseSdkLaneRunOptions(config.backendOptions);
      const plan = planClaudeSdkRun(config);
      const cwd = runOptions.cwd ?? config.execution.executionEnvironment.workspaceRoot ?? process.cwd();
      let isDir = false;
      try {
        isDir = statSync(cwd).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new AsmError("config_invalid", `working directory ${cwd} does not exist or is not a folder`, { details: { cwd } });
      if (config.signal?.aborted === true) throw new AsmError("user_cancelled", "the run was cancelled before it started");

      const env = mergeEnv(process.env, runOptions.env, plan.env, { CLAUDE_AGENT_SDK_CLIENT_APP: "asm" });
      // The same discovery as the core lane (option, CLAUDE_CLI_PATH, PATH, known locations), so
      // both lanes run the same claude and the SDK's bundled copy is never needed.
      const cli = resolveCli(claudeProfile.cli, { cliPath: runOptions.cliPath, env, cwd });

      let query = live.get(config.sessionId);
      if (query !== undefined && !query.accepts(plan, cwd, cli.path)) {
        live.delete(config.sessionId);
        await query.close();
        query = undefined;
      }
      if (query === undefined) {
        const sdk = await loadModule();
        query = new LiveQuery({ sdk, plan, runOptions, cli, cwd, env, capabilities: CLAUDE_SDK_CAPABILITIES, features: CLAUDE_SDK_FEATURES });
        live.set(config.sessionId, query);
      }
      const turn = await query.beginTurn(config, plan, runOptions);
      if (config.signal !== undefined) {
        const signal = config.signal;
        const onAbort = () => void turn.close();
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
      return turn;
    },
    async releaseSession(sessionId: string): Promise<void> {
      const query = live.get(sessionId);
      if (query === undefined) return;
      live.delete(sessionId);
      await query.close();
    },
  };
}
