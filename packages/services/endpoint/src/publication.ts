import type { Capability } from "@asm/contract";
import { INFERENCE_CONTRACT_VERSION, type BackendManifest, type Publication } from "./contracts.js";

const COMPLETION_CAPABILITIES: readonly Capability[] = ["streaming", "reasoning", "thinking", "tools", "extensions", "mcp"];
/** Providers whose agents are full coding agents through this endpoint. */
const AGENT_PROVIDERS = new Set(["claude", "codex"]);

/**
 * What a provider publishes, derived from its profile's capabilities (never written by hand): a
 * provider gains or loses a label when its profile changes.
 */
export function publicationOf(provider: string, capabilities: readonly Capability[]): Publication {
  const has = (capability: Capability) => capabilities.includes(capability);
  const derivedFrom = COMPLETION_CAPABILITIES.filter(has);
  const streaming = has("streaming");
  const agent = AGENT_PROVIDERS.has(provider);
  return {
    cliCompletionV1: derivedFrom.length > 0,
    cliStreamingV1: streaming,
    cliAgentV2: agent && streaming && has("tools"),
    commonSurfaceOnly: !agent,
    derivedFrom,
  };
}

/**
 * The backend manifest of an endpoint. Tool calling is `false`: the agent runs its own tools, the
 * endpoint never hands tool calls to the client; embeddings are not known.
 */
export function backendManifestOf(provider: string, publication: Publication): BackendManifest {
  return {
    contractVersion: INFERENCE_CONTRACT_VERSION,
    backend: provider,
    runtimeKind: "task",
    managementModes: ["asm_managed"],
    startupKind: "spawned",
    protocols: ["openai_chat_completions"],
    capabilities: { streaming: publication.cliStreamingV1, toolCalling: false, embeddings: "unknown" },
    supportedSurfaces: ["local_subprocess", "ssh_exec"],
    resourceProfile: {},
    metadata: { publication },
  };
}
