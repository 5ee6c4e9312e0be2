import { PERMISSION_MODES, isAsmError } from "@asm/contract";
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
    try {
      resolveClaudePermissionMode("default", "yolo");
      expect.unreachable();
    } catch (error) {
      expect(isAsmError(error) && error.code).toBe("config_invalid");
    }
  });
});
