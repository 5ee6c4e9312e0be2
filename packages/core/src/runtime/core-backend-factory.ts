import { AsmError, type ProviderBackend, type ProviderDefinition } from "@asm/contract";

/** Builds a provider's core-lane backend from its CLI profile. */
export function defaultCoreBackendFactory(provider: ProviderDefinition): ProviderBackend {
  if (!provider.profile) {
    throw new AsmError("config_invalid", `provider ${provider.name} has neither a CLI profile nor a core backend`, { provider: provider.name });
  }
  throw new AsmError("config_invalid", "the core lane is not available", { provider: provider.name });
}
