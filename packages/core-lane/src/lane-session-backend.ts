import { statSync } from "node:fs";
import { AsmError, type BackendSession, type BackendStartConfig, type ProviderBackend } from "@asm/contract";
import { parseLaneRunOptions, type LaneRunOptions, type LaneRunOptionsLabel } from "./lane-run-options.js";

/** One long-lived agent process of an ASM session (an SDK query, an app-server, an ACP agent). */
export interface LaneAgent {
  /** Ends the process (stdin, then SIGTERM, then SIGKILL to its group). */
  close(): Promise<void>;
}

/** What a lane makes of one run, once its options are read. */
export interface LaneRunPlan<A extends LaneAgent> {
  /** Whether the session's live agent can take this run (same fixed options, same conversation). */
  reuses(agent: A): boolean;
  /** Starts a new agent for the run. */
  open(): Promise<A>;
  /** Starts the run on the agent. */
  begin(agent: A): BackendSession | Promise<BackendSession>;
}

/** What a run's plan is made from. */
export interface LaneRunContext {
  config: BackendStartConfig;
  runOptions: LaneRunOptions;
  /** The run's working directory (checked to be a folder). */
  cwd: string;
  /** The host's environment with the run's `env` on top (unset variables left out). */
  env: Record<string, string>;
}

/** Options of {@link createLaneSessionBackend}. */
export interface LaneSessionBackendOptions<A extends LaneAgent> extends LaneRunOptionsLabel {
  /** The backend's name (`sdk:codex`). */
  name: string;
  /** Whether the agent can continue the latest conversation (else only an exact id resumes). */
  resumesLatest: boolean;
  /** Reads the run's provider options and plans it; throws `config_invalid` for what it cannot honour. */
  plan(context: LaneRunContext): LaneRunPlan<A>;
}

/** Layers of variables, later ones winning; unset (`undefined`) variables are left out. */
export function mergeLaneEnv(...layers: Array<Readonly<Record<string, string | undefined>> | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const layer of layers) if (layer !== undefined) Object.assign(env, layer);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The backend of an SDK lane whose agent lives as long as the ASM session: one agent process per
 * session, reused by every run that continues it with the same fixed options and replaced
 * otherwise; `releaseSession` (from `stopSession`) ends it. The checks every such lane makes are
 * made here once: local surface only, the run options (strictly), the working directory, a run
 * cancelled before it started, an unsupported `latest` continuation, and a run whose signal
 * aborts being closed.
 */
export function createLaneSessionBackend<A extends LaneAgent>(options: LaneSessionBackendOptions<A>): ProviderBackend {
  const live = new Map<string, A>();
  const { provider } = options;
  return {
    specificationVersion: "v1",
    name: options.name,
    async start(config: BackendStartConfig): Promise<BackendSession> {
      const surface = config.execution.executionSurface.kind;
      if (surface !== "local") {
        throw new AsmError("unsupported", `${options.lane} runs locally only, not on the ${surface} surface`, { provider, details: { key: "executionSurface" } });
      }
      const runOptions = parseLaneRunOptions(config.backendOptions, options);
      const cwd = runOptions.cwd ?? config.execution.executionEnvironment.workspaceRoot ?? process.cwd();
      if (!isFolder(cwd)) throw new AsmError("config_invalid", `working directory ${cwd} does not exist or is not a folder`, { provider, details: { cwd } });
      if (config.signal?.aborted === true) throw new AsmError("user_cancelled", "the run was cancelled before it started", { provider });
      if (config.continuation?.strategy === "latest" && !options.resumesLatest) {
        throw new AsmError("unsupported", `${options.lane} resumes a conversation by id only`, { provider, details: { key: "continuation" } });
      }
      const plan = options.plan({ config, runOptions, cwd, env: mergeLaneEnv(process.env, runOptions.env) });
      let agent = live.get(config.sessionId);
      if (agent !== undefined && !plan.reuses(agent)) {
        live.delete(config.sessionId);
        await agent.close();
        agent = undefined;
      }
      if (agent === undefined) {
        agent = await plan.open();
        live.set(config.sessionId, agent);
      }
      const turn = await plan.begin(agent);
      const signal = config.signal;
      if (signal !== undefined) {
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

/**
 * Waits for an agent to open (initialize, open a thread or session) for at most `ms`; on a
 * timeout or a failure the agent is closed and the error (an `AsmError`, `timeout` on expiry)
 * is thrown.
 */
export async function openWithin(open: Promise<void>, ms: number, agent: LaneAgent, onTimeout: () => AsmError): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    await Promise.race([open, timeout]);
  } catch (error) {
    await agent.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
