import { AsmError } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";

/**
 * Puts the caller's native SDK options over the mapped ones. A key the mapping owns (the working
 * directory, the environment, the binary, the permission mode…) is refused rather than
 * overwritten, so what ASM validated is what the SDK gets.
 */
export function mergeNativeOverrides<T extends Record<string, unknown>>(mapped: T, overrides: unknown, owned: readonly string[], who: string): T {
  if (overrides === undefined) return mapped;
  if (!isRecord(overrides)) {
    throw new AsmError("config_invalid", `${who}: native overrides must be an object of SDK options`, { provider: "claude", details: { key: "nativeOverrides" } });
  }
  for (const key of owned) {
    if (Object.hasOwn(overrides, key)) {
      throw new AsmError("config_invalid", `${who}: the native override ${key} is set from ASM's options; set it there instead`, { provider: "claude", details: { key } });
    }
  }
  return { ...mapped, ...overrides };
}
