import type { ProviderProfile } from "@asm/contract";
import { ampCapabilities } from "./internal/capabilities.js";
import { ampDiscovery } from "./internal/discovery.js";
import { buildAmpInvocation } from "./internal/invocation.js";
import { createAmpParser } from "./internal/parser.js";
import type { AmpProfileOptions } from "./options.js";

/**
 * The Amp CLI profile for the core lane: `amp --execute … --stream-json`, stdin closed after the
 * (optional) prompt, no stdio control protocol.
 *
 * @example
 * ```ts
 * const parser = ampProfile.createParser({ provider: "amp", reply: () => undefined });
 * ```
 */
export const ampProfile: ProviderProfile<AmpProfileOptions> = {
  specificationVersion: "v1",
  id: "amp",
  cli: ampDiscovery,
  capabilities: ampCapabilities,
  credentialEnv: ["AMP_API_KEY"],
  buildInvocation: buildAmpInvocation,
  createParser: createAmpParser,
  hostTools: { toolName: (server, tool) => `mcp__${server}__${tool}` },
};
