// The OpenAI-compatible endpoint: contracts, the compatibility check, and the HTTP server.

/** The inference contracts (`inference.v1`). */
export { CONVERSATION_HEADER, INFERENCE_CONTRACT_VERSION } from "./contracts.js";
export type {
  BackendManifest,
  CapabilityFlag,
  CompatibilityReason,
  CompatibilityResult,
  ConsumerManifest,
  EndpointDescriptor,
  InferenceProtocol,
  Publication,
} from "./contracts.js";
/** Consumer manifests and the compatibility check. */
export { consumerManifest, validateConsumerManifest } from "./consumer-manifest.js";
export { checkCompatibility } from "./compatibility.js";
export type { RequestedCapabilities } from "./compatibility.js";
/** What a provider publishes, derived from its profile. */
export { backendManifestOf, publicationOf } from "./publication.js";
/** The server and its leases. */
export { EndpointServer, ensureEndpoint, releaseEndpoint, startEndpointServer } from "./endpoint-server.js";
export type { EndpointLease, EndpointRequest, EndpointServerOptions, EnsureEndpointContext } from "./endpoint-server.js";
