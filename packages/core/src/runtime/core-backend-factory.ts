import { AsmError, type ProviderBackend, type AnyProviderDefinition } from "@asm/contract";
import { createCoreBackend, type CoreBackendOptions } from "../core-lane/core-backend.js";

/** Builds a factory that turns a provider's CLI profile into its core-lane backend. */
export function coreBackendFactory(options: CoreBackendOptions = {}): (provider: AnyProviderDefinition) => ProviderBackend {
  return (provider) => {
    if (!provider.profile) {
      throw new AsmError("unsupported", `provider ${provider.name} has neither a CLI profile nor a core backend`, { provider: provider.name });
    }
    return createCoreBackend(provider.profile, options);
  };
}
