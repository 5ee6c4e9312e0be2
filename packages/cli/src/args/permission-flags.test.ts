import { describe, expect, it } from "vitest";
import { AsmError, type PermissionMode } from "@asm/contract";
import { resolvePermissionFlags } from "./permission-flags.js";

// Gemini's native names, as the kernel's permission lookup would resolve them.
const gemini = (native: string): PermissionMode => {
  const table: Record<string, PermissionMode> = { yolo: "bypass", auto_edit: "auto" };
  const mode = table[native];
  if (mode === undefined) throw new AsmError("config_invalid", `unknown ${native}`);
  return mode;
};

describe("resolvePermissionFlags", () => {
  it("applies the precedence flag > --danger-full-access > ASM_PERMISSION_MODE > fallback", () => {
    expect(resolvePermissionFlags({ flag: "plan", dangerFullAccess: false, envValue: "auto", fallback: "bypass" }, gemini)).toEqual({ mode: "plan", source: "flag" });
    expect(resolvePermissionFlags({ flag: undefined, dangerFullAccess: true, envValue: "auto", fallback: "default" }, gemini)).toEqual({
      mode: "bypass",
      source: "danger-full-access",
    });
    expect(resolvePermissionFlags({ flag: undefined, dangerFullAccess: false, envValue: "auto", fallback: "bypass" }, gemini)).toEqual({ mode: "auto", source: "env" });
    expect(resolvePermissionFlags({ flag: undefined, dangerFullAccess: false, envValue: "", fallback: "bypass" }, gemini)).toEqual({ mode: "bypass", source: "default" });
    expect(resolvePermissionFlags({ flag: undefined, dangerFullAccess: false }, gemini)).toBeUndefined();
  });

  it("accepts the provider's native names", () => {
    expect(resolvePermissionFlags({ flag: "yolo", dangerFullAccess: false }, gemini)).toEqual({ mode: "bypass", source: "flag" });
    expect(resolvePermissionFlags({ flag: "yolo", dangerFullAccess: true }, gemini)).toEqual({ mode: "bypass", source: "flag" });
  });

  it("refuses --danger-full-access with a different --permission-mode, and unknown names, as usage errors", () => {
    expect(() => resolvePermissionFlags({ flag: "auto_edit", dangerFullAccess: true }, gemini)).toThrow(/conflicts with --permission-mode auto_edit/);
    expect(() => resolvePermissionFlags({ flag: "everything", dangerFullAccess: false }, gemini)).toThrow(/not a permission mode/);
    try {
      resolvePermissionFlags({ flag: undefined, dangerFullAccess: false, envValue: "nope" }, gemini);
    } catch (error) {
      expect(error).toMatchObject({ details: { usage: true, flag: "ASM_PERMISSION_MODE" } });
      return;
    }
    throw new Error("expected a usage error");
  });
});
