import { AsmError } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";

/** The keys of one options object ASM sets, and the configuration keys under its `config` that it owns. */
export interface OwnedKeys {
  keys: readonly string[];
  /** Codex configuration keys a `config` override may not set (they would undo a refused key by the back door). */
  configKeys?: readonly string[];
}

function forbidden(who: string, key: string): AsmError {
  return new AsmError("config_invalid", `${who}: the native override ${key} is set from ASM's options; set it there instead`, { provider: "codex", details: { key } });
}

/**
 * Puts the caller's native options over the mapped ones. A key ASM sets is refused rather than
 * overwritten; a `config` override is merged key by key into the mapped `config`, and may not set
 * a key ASM owns or has set.
 */
export function mergeNativeOverrides<T extends Record<string, unknown>>(mapped: T, overrides: unknown, owned: OwnedKeys, who: string): T {
  if (overrides === undefined) return mapped;
  if (!isRecord(overrides)) {
    throw new AsmError("config_invalid", `${who}: native overrides must be an object`, { provider: "codex", details: { key: "nativeOverrides" } });
  }
  for (const key of owned.keys) if (Object.hasOwn(overrides, key)) throw forbidden(who, key);
  const merged: Record<string, unknown> = { ...mapped, ...overrides };
  if (owned.configKeys !== undefined && Object.hasOwn(overrides, "config")) {
    const config = overrides["config"];
    if (!isRecord(config)) throw new AsmError("config_invalid", `${who}: the native override config must be an object`, { provider: "codex", details: { key: "config" } });
    const mappedConfig = isRecord(mapped["config"]) ? mapped["config"] : {};
    for (const key of Object.keys(config)) {
      if (owned.configKeys.includes(key) || Object.hasOwn(mappedConfig, key)) throw forbidden(who, `config.${key}`);
    }
    merged["config"] = { ...mappedConfig, ...config };
  }
  return merged as T;
}
