import { PERMISSION_MODES } from "@asm/contract";
import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { claudePermissionModes, resolveClaudePermissionMode } from "./permission-modes.js";

describe("claudePermissionModes", () => {
  it("renders every normalized mode as --permission-mode <native>", () => {
    const rendered = PERMISSION_MODES.map((mode) => {
      const row = claudePermissionModes[mode];
      return "unsupported" in row ? null : [mode, row.nativeMode, [...row.cliArgs]];
    });
    expect(rendered).toEqual([
      ["default", "default", ["--permission-mode", "default"]],
      ["auto", "acceptEdits", ["--permission-mode", "acceptEdits"]],
      ["bypass", "bypassPermissions", ["--permission-mode", "bypassPermissions"]],
      ["plan", "plan", ["--permission-mode", "plan"]],
    ]);
  });

  it("every alias in the table resolves, to its own row or to its distinct native mode", () => {
    for (const mode of PERMISSION_MODES) {
      const row = claudePermissionModes[mode];
      if ("unsupported" in row) continue;
      for (const alias of row.aliases ?? []) {
        const cli = resolveClaudePermissionMode(mode, alias);
        expect(alias.toLowerCase().replace("_", "").startsWith("dontask") ? "dontAsk" : row.nativeMode).toBe(cli);
      }
    }
  });

  it("is case-insensitive for native modes and rejects unknown ones", () => {
    expect(resolveClaudePermissionMode(undefined, " BypassPermissions ")).toBe("bypassPermissions");
    expectAsmError(() => resolveClaudePermissionMode("default", "yolo"), { code: "config_invalid", details: { key: "nativePermissionMode" } });
    // A native name that is a member of Object.prototype is unknown too, not a function.
    for (const name of ["constructor", "__proto__", "toString"]) expectAsmError(() => resolveClaudePermissionMode(undefined, name), "config_invalid");
  });
});
