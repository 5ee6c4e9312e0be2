import type { AnyProviderDefinition, Continuation, ProviderBackend, RunMetadata } from "@asm/contract";
import type { UsageTotals } from "../cost/usage-baseline.js";
import type { ResolvedExecution } from "../execution/execution-config.js";
import type { ResolvedPermission } from "../options/permission.js";
import type { RunHostTools } from "../host-tools/run-host-tools.js";
import type { PipelinePlug } from "../pipeline/plug.js";

/** Everything a run needs, resolved before it is admitted. */
export interface RunSpec {
  runId: string;
  sessionId: string;
  provider: AnyProviderDefinition;
  prompt: string;
  /** Validated and normalized provider options (common and provider keys). */
  providerOptions: Record<string, unknown>;
  execution: ResolvedExecution;
  permission?: ResolvedPermission;
  /** Set before the run starts; the session fills it from its checkpoint when `autoResume` applies. */
  continuation?: Continuation;
  /** Continue the session's last provider session when no continuation was given. */
  autoResume: boolean;
  /**
   * Thread totals already reported by earlier runs of the continued provider session. Providers
   * that report cumulative usage per thread (Codex) are made run-relative against it.
   */
  usageBaseline?: UsageTotals;
  /** Pipeline plugs in order (the allowed-tools guard first when an allow-list is set). */
  plugs: PipelinePlug[];
  approvalTimeoutMs: number;
  backend: ProviderBackend;
  /** Runtime knobs for the backend (cwd, env, cli path, watchdogs). */
  backendOptions: Record<string, unknown>;
  /** Run metadata, lane fields included; protected against overrides. */
  metadata: RunMetadata;
  /** Set when this run intervenes on another run. */
  interventionForRunId?: string;
  /** The caller's abort signal: aborted before admission, the run is refused; later, it is interrupted. */
  signal?: AbortSignal;
  /** The run's host tools (the runtime's and the session's), served over MCP while it runs. */
  hostTools?: RunHostTools;
}
