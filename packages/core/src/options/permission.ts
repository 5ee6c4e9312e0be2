import {
  AsmError,
  isPermissionMode,
  type NativePermissionMode,
  type PermissionMode,
  type AnyProviderDefinition,
} from "@asm/contract";

/** A normalized mode together with its native rendering for one provider. */
export interface ResolvedPermission {
  mode: PermissionMode;
  native: NativePermissionMode;
}

/**
 * Maps a normalized permission mode onto the provider's native mode. Only the four normalized
 * names are accepted here; a mode the provider cannot honour fails with the provider's reason.
 */
export function resolvePermission(provider: AnyProviderDefinition, mode: unknown): ResolvedPermission {
  if (!isPermissionMode(mode)) {
    throw new AsmError(
      "config_invalid",
      `invalid permission mode ${JSON.stringify(mode)}; expected default, auto, bypass or plan`,
      { provider: provider.name, details: { key: "permissionMode" } },
    );
  }
  const entry = provider.permissionModes[mode];
  if ("unsupported" in entry) {
    throw new AsmError("unsupported", `Permission mode "${mode}" is not valid for provider ${provider.name}: ${entry.unsupported}`, {
      provider: provider.name,
      details: { key: "permissionMode", mode },
    });
  }
  return { mode, native: entry };
}

/**
 * Looks a mode up by its native name or one of its aliases (as the provider manifest lists them).
 * Normalized names are accepted only where they equal a native name.
 */
export function findNativePermission(provider: AnyProviderDefinition, nameOrAlias: string): { mode: PermissionMode; native: NativePermissionMode } {
  const wanted = nameOrAlias.trim().toLowerCase();
  for (const [mode, entry] of Object.entries(provider.permissionModes) as Array<[PermissionMode, AnyProviderDefinition["permissionModes"][PermissionMode]]>) {
    if ("unsupported" in entry) continue;
    const names = [entry.nativeMode, ...(entry.aliases ?? [])].map((n) => n.toLowerCase());
    if (names.includes(wanted)) return { mode, native: entry };
  }
  throw new AsmError("not_found", `unknown permission mode "${nameOrAlias}" for provider ${provider.name}`, {
    provider: provider.name,
    details: { key: "permissionMode", mode: nameOrAlias },
  });
}
