import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from "@asm/contract";
import { usageError } from "../exit-codes.js";

/** Where the effective permission mode came from. */
export type PermissionSource = "flag" | "danger-full-access" | "env" | "default";

/** Looks a native mode name or alias up for the run's provider; throws for unknown names. */
export type NativeModeLookup = (nativeMode: string) => PermissionMode;

/** The inputs of {@link resolvePermissionFlags}. */
export interface PermissionFlagInput {
  /** `--permission-mode` as given. */
  flag: string | undefined;
  /** `--danger-full-access`. */
  dangerFullAccess: boolean;
  /** `ASM_PERMISSION_MODE`, for commands that read it. */
  envValue?: string;
  /** Mode when nothing is given (undefined leaves the provider's own default). */
  fallback?: PermissionMode;
}

/**
 * Resolves the permission flags with the precedence `--permission-mode` > `--danger-full-access`
 * (= `bypass`) > `ASM_PERMISSION_MODE` > fallback. Values may be normalized modes (`default`,
 * `auto`, `bypass`, `plan`) or the provider's native names (`bypassPermissions`, `yolo`,
 * `auto_edit`). `--danger-full-access` with a different `--permission-mode` is a usage error.
 */
export function resolvePermissionFlags(input: PermissionFlagInput, lookup: NativeModeLookup): { mode: PermissionMode; source: PermissionSource } | undefined {
  const resolve = (value: string, origin: string): PermissionMode => {
    const trimmed = value.trim();
    if (isPermissionMode(trimmed)) return trimmed;
    try {
      return lookup(trimmed);
    } catch {
      throw usageError(`${origin} "${value}" is not a permission mode of this provider; use one of ${PERMISSION_MODES.join(", ")} or a native name`, {
        flag: origin,
      });
    }
  };
  if (input.flag !== undefined) {
    const mode = resolve(input.flag, "--permission-mode");
    if (input.dangerFullAccess && mode !== "bypass") {
      throw usageError(`--danger-full-access conflicts with --permission-mode ${input.flag}; give one of them`, { flag: "--danger-full-access" });
    }
    return { mode, source: "flag" };
  }
  if (input.dangerFullAccess) return { mode: "bypass", source: "danger-full-access" };
  if (input.envValue !== undefined && input.envValue.trim() !== "") return { mode: resolve(input.envValue, "ASM_PERMISSION_MODE"), source: "env" };
  if (input.fallback !== undefined) return { mode: input.fallback, source: "default" };
  return undefined;
}
