import { AsmError, type ExecutionConfig, type ExecutionMode, type RequestedLane } from "@asm/contract";
import { timeoutMs } from "../options/input-hygiene.js";
import { LEGACY_SURFACE_KEYS } from "../options/option-groups.js";
import { mergeEnvironments, readEnvironmentLayer } from "./execution-environment.js";
import { mergeSurfaces } from "./execution-surface.js";

/** Built-in defaults of the execution settings. */
export const EXECUTION_DEFAULTS = {
  executionMode: "local" as ExecutionMode,
  lane: "auto" as RequestedLane,
  transportCallTimeoutMs: 5_000,
  streamTimeoutMs: 300_000,
  queueTimeoutMs: Number.POSITIVE_INFINITY,
};

/** The execution settings of one run, after precedence is applied. */
export interface ResolvedExecution {
  config: ExecutionConfig;
  lane: RequestedLane;
  streamTimeoutMs: number;
  queueTimeoutMs: number;
}

/** Refuses the top-level placement keys of older releases, saying what to use instead. */
export function rejectLegacySurfaceKeys(options: Record<string, unknown>): void {
  const found = LEGACY_SURFACE_KEYS.filter((key) => options[key] !== undefined);
  if (found.length > 0) {
    throw new AsmError(
      "config_invalid",
      `legacy execution-surface keys are not supported: ${found.join(", ")}. Use executionSurface: { kind, transportOptions, targetId, leaseRef, surfaceRef, boundaryClass, observability }`,
      { details: { keys: found } },
    );
  }
}

function driverOpts(execution: Record<string, unknown>, layer: string): Record<string, unknown> {
  const value = execution.driverOpts;
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AsmError("config_invalid", `driverOpts must be an object (${layer})`, { details: { key: "driverOpts" } });
  }
  return value as Record<string, unknown>;
}

function pick<T>(key: string, layers: Array<Record<string, unknown>>, fallback: T): T {
  for (const layer of layers) if (layer[key] !== undefined) return layer[key] as T;
  return fallback;
}

function timeout(value: unknown, key: string, fallback: number): number {
  return timeoutMs(value, key, fallback, true);
}

/**
 * Resolves a run's execution settings. Precedence, per field: `driverOpts` (run over session) >
 * run options > session options > runtime config > built-in defaults.
 */
export function resolveExecution(
  sessionExecution: Record<string, unknown>,
  runExecution: Record<string, unknown>,
  runtimeDefaults: Record<string, unknown> = {},
): ResolvedExecution {
  const runDriver = driverOpts(runExecution, "run");
  const sessionDriver = driverOpts(sessionExecution, "session");
  // Highest precedence first for scalar lookups.
  const scalarLayers = [runDriver, sessionDriver, runExecution, sessionExecution, runtimeDefaults];

  const executionMode = pick<unknown>("executionMode", scalarLayers, EXECUTION_DEFAULTS.executionMode);
  if (executionMode !== "local" && executionMode !== "remote_node") {
    throw new AsmError("config_invalid", `invalid executionMode ${JSON.stringify(executionMode)}; expected local or remote_node`, {
      details: { key: "executionMode" },
    });
  }
  const lane = pick<unknown>("lane", scalarLayers, EXECUTION_DEFAULTS.lane);
  if (lane !== "auto" && lane !== "core" && lane !== "sdk") {
    throw new AsmError("config_invalid", `invalid lane ${JSON.stringify(lane)}; expected auto, core, or sdk`, { details: { key: "lane" } });
  }

  // Lowest precedence first for merges.
  const mergeOrder = [runtimeDefaults, sessionExecution, runExecution, sessionDriver, runDriver];
  const executionSurface = mergeSurfaces(
    mergeOrder.map((layer, index) => ({ value: layer.executionSurface, layer: ["runtime", "session", "run", "session driverOpts", "run driverOpts"][index]! })),
  );
  const executionEnvironment = mergeEnvironments(
    mergeOrder.map((layer, index) => readEnvironmentLayer(layer, ["runtime", "session", "run", "session driverOpts", "run driverOpts"][index]!)),
  );
  const remote = pick<Record<string, unknown> | undefined>("remote", scalarLayers, undefined);
  if (executionMode === "remote_node" && (!remote || typeof remote.node !== "string")) {
    throw new AsmError("config_invalid", "remote_node execution requires remote: { node: \"<address>\" }", { details: { key: "remote" } });
  }

  return {
    config: {
      executionMode,
      executionSurface,
      executionEnvironment,
      transportCallTimeoutMs: timeout(pick("transportCallTimeoutMs", scalarLayers, undefined), "transportCallTimeoutMs", EXECUTION_DEFAULTS.transportCallTimeoutMs),
      ...(remote ? { remote } : {}),
    },
    lane,
    streamTimeoutMs: timeout(pick("streamTimeoutMs", scalarLayers, undefined), "streamTimeoutMs", EXECUTION_DEFAULTS.streamTimeoutMs),
    queueTimeoutMs: timeout(pick("queueTimeoutMs", scalarLayers, undefined), "queueTimeoutMs", EXECUTION_DEFAULTS.queueTimeoutMs),
  };
}
