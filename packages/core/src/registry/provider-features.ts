import { AsmError, type CommonFeatureSupport, type NativePermissionMode, type PermissionMode, type AnyProviderDefinition } from "@asm/contract";
import { findNativePermission } from "../options/permission.js";

/** A provider's feature manifest: its native permission modes and common features. */
export interface ProviderManifest {
  provider: string;
  /** Keyed by the NATIVE mode name. */
  permissionModes: Record<string, NativePermissionMode & { normalizedMode: PermissionMode }>;
  commonFeatures: Record<string, CommonFeatureSupport>;
}

/** Builds the manifest of a provider. */
export function manifestOf(provider: AnyProviderDefinition): ProviderManifest {
  const permissionModes: ProviderManifest["permissionModes"] = {};
  for (const [mode, entry] of Object.entries(provider.permissionModes) as Array<[PermissionMode, AnyProviderDefinition["permissionModes"][PermissionMode]]>) {
    if ("unsupported" in entry) continue;
    permissionModes[entry.nativeMode] = { ...entry, normalizedMode: mode };
  }
  return { provider: provider.name, permissionModes, commonFeatures: { ...provider.features.commonFeatures } };
}

/** One native permission mode by native name or alias (normalized names only where they are native). */
export function permissionModeOf(provider: AnyProviderDefinition, nativeOrAlias: string): NativePermissionMode & { normalizedMode: PermissionMode } {
  const found = findNativePermission(provider, nativeOrAlias);
  return { ...found.native, normalizedMode: found.mode };
}

/** One common feature's support record. Unknown feature → `not_found`. */
export function commonFeatureOf(provider: AnyProviderDefinition, feature: string): CommonFeatureSupport {
  const entry = provider.features.commonFeatures[feature];
  if (!entry) {
    throw new AsmError("not_found", `unknown common feature "${feature}" for provider ${provider.name}`, { provider: provider.name });
  }
  return entry;
}

/** Whether the provider supports a common feature. */
export function supportsCommonFeatureOf(provider: AnyProviderDefinition, feature: string): boolean {
  return provider.features.commonFeatures[feature]?.supported === true;
}
