import { AsmError, type AnyProviderDefinition, type ProviderBackend } from "@asm/contract";
import { createCoreBackend, type CoreBackendOptions } from "@asm/core-lane";

/**
 * The default `AsmConfig.coreBackend`: turns a provider's CLI profile into its backend on the core
 * lane (`@asm/core-lane`, the CLI subprocess runtime).
 */
export function coreBackendFactory(options: CoreBackendOptions = {}): (provider: AnyProviderDefinition) => ProviderBackend {
  return (provider) => {
    if (!provider.profile) {
      throw new AsmError("unsupported", `provider ${provider.name} has neither a CLI profile nor a core backend`, { provider: provider.name });
    }
    return createCoreBackend(provider.profile, options);
  };
}
