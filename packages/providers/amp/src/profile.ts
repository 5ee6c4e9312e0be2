import type { ProviderProfile } from "@asm/contract";
import { AMP_CAPABILITIES } from "./capabilities.js";
import { ampCliDiscovery } from "./discovery.js";
import { buildAmpInvocation } from "./invocation.js";
import type { AmpProfileOptions } from "./options.js";
import { createAmpParser } from "./parser.js";

/**
 * The Amp CLI profile for the core lane: `amp --execute … --stream-json`, stdin closed after the
 * (optional) prompt, no stdio control protocol.
 */
export const ampProfile: ProviderProfile<AmpProfileOptions> = {
  specificationVersion: "v1",
  id: "amp",
  cli: ampCliDiscovery,
  capabilities: AMP_CAPABILITIES,
  buildInvocation: buildAmpInvocation,
  createParser: createAmpParser,
};
