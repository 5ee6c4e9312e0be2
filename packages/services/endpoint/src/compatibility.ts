import { INFERENCE_CONTRACT_VERSION, type BackendManifest, type CompatibilityReason, type CompatibilityResult, type ConsumerManifest } from "./contracts.js";

/** What a lease request asks of the endpoint beyond the manifest. */
export interface RequestedCapabilities {
  /** The caller will stream. */
  stream?: boolean;
  /** The caller wants client-side tool calls (the endpoint never offers them). */
  tools?: boolean;
}

/** Whether the backend publishes a capability named as in a manifest (`streaming`, `tool_calling`, `embeddings`). */
function published(backend: BackendManifest, capability: string): boolean {
  switch (capability) {
    case "streaming":
      return backend.capabilities.streaming === true;
    case "tool_calling":
      return backend.capabilities.toolCalling === true;
    case "embeddings":
      return backend.capabilities.embeddings === true;
    default:
      return false;
  }
}

/**
 * Checks a consumer against a backend in a fixed order: runtime kind, management mode, protocol
 * (the first common one of each wins), what the request asks (streaming, tools), the manifest's
 * required capabilities; success carries warnings for unmet optional capabilities.
 */
export function checkCompatibility(consumer: ConsumerManifest, backend: BackendManifest, requested: RequestedCapabilities = {}): CompatibilityResult {
  const base = { contractVersion: INFERENCE_CONTRACT_VERSION, warnings: [] as string[], missingRequirements: [] as string[], metadata: {} };
  const fail = (reason: CompatibilityReason, resolved: Partial<CompatibilityResult>, missing: string[] = []): CompatibilityResult => ({
    ...base,
    resolvedRuntimeKind: null,
    resolvedManagementMode: null,
    resolvedProtocol: null,
    ...resolved,
    compatible: false,
    reason,
    missingRequirements: missing,
  });
  const runtimeKind = consumer.acceptedRuntimeKinds.includes(backend.runtimeKind) ? backend.runtimeKind : null;
  if (!runtimeKind) return fail("runtime_kind_mismatch", {});
  const managementMode = consumer.acceptedManagementModes.find((mode) => backend.managementModes.includes(mode)) ?? null;
  if (!managementMode) return fail("management_mode_mismatch", { resolvedRuntimeKind: runtimeKind });
  const protocol = consumer.acceptedProtocols.find((candidate) => (backend.protocols as readonly string[]).includes(candidate)) ?? null;
  const resolved = { resolvedRuntimeKind: runtimeKind, resolvedManagementMode: managementMode };
  if (!protocol) return fail("protocol_mismatch", resolved);
  const all = { ...resolved, resolvedProtocol: protocol };
  if (requested.stream && !published(backend, "streaming")) return fail("missing_streaming", all, ["streaming"]);
  if (requested.tools) return fail("missing_capability", all, ["tool_calling"]);
  for (const required of consumer.requiredCapabilities) {
    if (published(backend, required)) continue;
    return fail(required === "streaming" ? "missing_streaming" : "missing_capability", all, [required]);
  }
  const warnings = consumer.optionalCapabilities.filter((optional) => !published(backend, optional)).map((optional) => `optional capability ${optional} is not published`);
  return { ...base, ...all, compatible: true, reason: "protocol_match", warnings };
}
