import { AsmError, ulid, type AnyProviderDefinition, type Continuation, type ProviderBackend, type RunMetadata } from "@asm/contract";
import { rejectLegacySurfaceKeys, resolveExecution } from "../execution/execution-config.js";
import { assertSurfaceDriven } from "../execution/execution-surface.js";
import { mergeLayer, partitionOptions } from "../options/option-groups.js";
import { resolvePermission } from "../options/permission.js";
import { assertProcessSafeInput, timeoutMs } from "../options/input-hygiene.js";
import { validateProviderOptions } from "../options/validate-provider-options.js";
import { hostToolEvents, resolveRunHostTools, type RunHostTools } from "../host-tools/run-host-tools.js";
import { allowedToolsGuard } from "../pipeline/allowed-tools-guard.js";
import type { PipelinePlug } from "../pipeline/plug.js";
import type { ProviderRegistry } from "../registry/provider-registry.js";
import { assertSpecificationVersion } from "../registry/specification-check.js";
import type { RunSpec } from "./run-spec.js";

/** Runtime-wide settings a run falls back on. */
export interface RunDefaults {
  approvalTimeoutMs: number;
  /** Execution keys from the runtime config (lowest precedence above built-ins). */
  execution: Record<string, unknown>;
  /** Backend used for `remote_node` execution, when a remote connector is configured. */
  remoteBackend?: (provider: AnyProviderDefinition) => ProviderBackend;
  /** Surface kinds the default core lane drives; null when the host supplies its own core backend. */
  drivenSurfaces?: ReadonlySet<string> | null;
  /** The runtime's host tools (`createAsm({ tools })`), checked. */
  hostTools?: RunHostTools;
}

/** What `prepareRun` needs to know. */
export interface PrepareRunInput {
  registry: ProviderRegistry;
  provider: AnyProviderDefinition;
  sessionId: string;
  prompt: unknown;
  sessionOptions: Record<string, unknown>;
  runOptions: Record<string, unknown>;
  defaults: RunDefaults;
  runId?: string;
}

function parseContinuation(value: unknown): Continuation | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (v.strategy === "latest") return { strategy: "latest" };
    if (v.strategy === "exact" && typeof v.providerSessionId === "string" && v.providerSessionId.trim() !== "") {
      return { strategy: "exact", providerSessionId: v.providerSessionId };
    }
  }
  throw new AsmError("config_invalid", 'continuation must be { strategy: "exact", providerSessionId } or { strategy: "latest" }', {
    details: { key: "continuation" },
  });
}

// A plug does something: it judges (handle), observes (observe) or prepares (beforeStart). Each
// of those that is present must be a function.
function isPlug(value: unknown): value is PipelinePlug {
  if (typeof value !== "object" || value === null) return false;
  const plug = value as Record<string, unknown>;
  const hooks = ["handle", "observe", "beforeStart"].filter((hook) => plug[hook] !== undefined);
  return hooks.length > 0 && hooks.every((hook) => typeof plug[hook] === "function");
}

function parsePlugs(value: unknown): PipelinePlug[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isPlug)) {
    throw new AsmError("config_invalid", "pipeline must be an array of plugs ({ name, and handle(event, context), observe(event, context) or beforeStart(context) })", {
      details: { key: "pipeline" },
    });
  }
  return value;
}

function parseSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  // Duck-typed: a signal from another realm (a worker, a test environment) is still a signal.
  const candidate = (typeof value === "object" ? value : null) as { aborted?: unknown; addEventListener?: unknown } | null;
  if (candidate === null || typeof candidate.aborted !== "boolean" || typeof candidate.addEventListener !== "function") {
    throw new AsmError("config_invalid", "signal must be an AbortSignal", { details: { key: "signal" } });
  }
  return value as AbortSignal;
}

/**
 * Turns session defaults plus per-run options into a fully resolved {@link RunSpec}: options
 * partitioned and merged key by key, execution config resolved, provider options validated
 * strictly, the permission mode mapped, and the lane resolved. Every problem is an
 * `AsmError("config_invalid")` thrown before the run is admitted.
 */
export async function prepareRun(input: PrepareRunInput): Promise<RunSpec> {
  const { provider, registry, defaults } = input;
  if (typeof input.prompt !== "string") {
    throw new AsmError("config_invalid", `prompt must be a string, got ${input.prompt === null ? "null" : typeof input.prompt}`);
  }
  rejectLegacySurfaceKeys(input.sessionOptions);
  rejectLegacySurfaceKeys(input.runOptions);
  const session = partitionOptions(input.sessionOptions);
  const run = partitionOptions(input.runOptions);
  const sessionOnly = Object.keys(run.session);
  if (sessionOnly.length > 0) {
    throw new AsmError("config_invalid", `${sessionOnly.join(", ")} can only be set when the session starts`, { details: { keys: sessionOnly } });
  }

  const execution = resolveExecution(session.execution, run.execution, defaults.execution);
  const environment = execution.config.executionEnvironment;
  if (environment.approvalPosture === "none") {
    throw new AsmError("unsupported", 'approvalPosture "none" is not supported at run start; use "manual" or "auto"', {
      details: { key: "approvalPosture" },
    });
  }
  const permission = environment.permissionMode ? resolvePermission(provider, environment.permissionMode) : undefined;
  if (permission) execution.config.providerPermissionMode = permission.native.nativeMode;

  const providerOptions = validateProviderOptions(provider, mergeLayer(session.provider, run.provider));
  assertProcessSafeInput(input.prompt, providerOptions);
  const runKeys = mergeLayer(session.run, run.run);
  const signal = parseSignal(runKeys.signal);

  let backend: ProviderBackend;
  let metadata: RunMetadata;
  const backendOverride = runKeys.backend as ProviderBackend | undefined;
  if (backendOverride !== undefined) {
    if (typeof backendOverride !== "object" || typeof backendOverride.start !== "function") {
      throw new AsmError("config_invalid", "backend must be a ProviderBackend ({ name, start(config) })", { details: { key: "backend" } });
    }
    assertSpecificationVersion("backend", String(backendOverride.name), backendOverride);
    backend = backendOverride;
    const info = await registry.providerInfo(provider.name);
    metadata = {
      provider: provider.name,
      providerDisplayName: provider.displayName,
      requestedLane: execution.lane,
      preferredLane: "core",
      lane: "core",
      laneReason: "backend_override",
      laneFallbackReason: null,
      backend: backend.name,
      executionMode: execution.config.executionMode,
      sdkAvailable: info.sdkAvailable,
      availableLanes: info.availableLanes,
    };
  } else {
    const resolution = await registry.resolve(provider.name, { lane: execution.lane, executionMode: execution.config.executionMode });
    backend = resolution.backend;
    metadata = resolution.metadata;
    if (execution.config.executionMode === "remote_node") {
      if (!defaults.remoteBackend) {
        throw new AsmError("unsupported", "remote_node execution needs a remote connector: pass config.remoteBackend to createAsm", {
          details: { key: "executionMode" },
        });
      }
      backend = defaults.remoteBackend(provider);
      assertSpecificationVersion("backend", backend.name, backend);
      metadata = { ...metadata, backend: backend.name };
    }
  }
  if (backendOverride === undefined && execution.config.executionMode === "local") {
    assertSurfaceDriven(execution.config.executionSurface, defaults.drivenSurfaces ?? null);
  }
  if (execution.config.executionSurface.kind !== "local") {
    metadata = { ...metadata, executionSurface: execution.config.executionSurface.kind, ...execution.config.executionSurface.observability };
  }
  const userMetadata = runKeys.metadata;
  if (userMetadata !== undefined && (typeof userMetadata !== "object" || userMetadata === null)) {
    throw new AsmError("config_invalid", "metadata must be an object", { details: { key: "metadata" } });
  }

  const continuation = parseContinuation(runKeys.continuation);
  const autoResume = input.sessionOptions.autoResume !== false && continuation === undefined;

  const plugs = parsePlugs(runKeys.pipeline);
  if (environment.allowedTools.length > 0) plugs.unshift(allowedToolsGuard(environment.allowedTools));
  const hostTools = resolveRunHostTools(defaults.hostTools, input.sessionOptions.hostTools, provider, execution, metadata, backendOverride !== undefined);
  // First, so the guards and the caller's plugs see host tool calls under the host's names.
  if (hostTools) plugs.unshift(hostToolEvents(provider, hostTools));

  const backendOptions: Record<string, unknown> = {};
  for (const key of ["cliPath", "env", "secretEnv", "idleTimeoutMs", "wallTimeoutMs", "maxLineBytes"]) {
    if (providerOptions[key] !== undefined) backendOptions[key] = providerOptions[key];
  }
  const cwd = providerOptions.cwd ?? environment.workspaceRoot;
  if (cwd !== undefined) backendOptions.cwd = cwd;
  const extraBackendOptions = runKeys.backendOptions;
  if (extraBackendOptions !== undefined) {
    if (typeof extraBackendOptions !== "object" || extraBackendOptions === null) {
      throw new AsmError("config_invalid", "backendOptions must be an object", { details: { key: "backendOptions" } });
    }
    Object.assign(backendOptions, extraBackendOptions);
  }

  const runId = typeof runKeys.runId === "string" && runKeys.runId !== "" ? runKeys.runId : (input.runId ?? ulid());
  return {
    runId,
    sessionId: input.sessionId,
    provider,
    prompt: input.prompt,
    providerOptions,
    execution,
    ...(permission ? { permission } : {}),
    ...(continuation ? { continuation } : {}),
    autoResume,
    plugs,
    approvalTimeoutMs: timeoutMs(runKeys.approvalTimeoutMs, "approvalTimeoutMs", defaults.approvalTimeoutMs),
    backend,
    backendOptions,
    metadata: { ...(userMetadata as Record<string, unknown> | undefined), ...metadata },
    ...(typeof runKeys.interventionForRunId === "string" ? { interventionForRunId: runKeys.interventionForRunId } : {}),
    ...(signal ? { signal } : {}),
    ...(hostTools ? { hostTools } : {}),
  };
}
