import { AsmError, type PermissionMode, type PermissionModeTable } from "@asm/contract";
import { lookup } from "@asm/provider-utils";

/**
 * Claude Code's permission table: each normalized mode renders as `--permission-mode <native>`.
 *
 * `bypass` (`bypassPermissions`) is refused by Claude Code when it runs as root unless the
 * environment has `IS_SANDBOX=1`; ASM never sets that variable itself. As root, either pass
 * `env: { IS_SANDBOX: "1" }` inside a real sandbox, or stay in `default` mode with `allowRules`.
 */
export const claudePermissionModes: PermissionModeTable = {
  default: {
    nativeMode: "default",
    cliArgs: ["--permission-mode", "default"],
    label: "Ask before edits and commands",
    aliases: ["manual"],
  },
  auto: {
    nativeMode: "acceptEdits",
    cliArgs: ["--permission-mode", "acceptEdits"],
    label: "Accept file edits automatically",
    aliases: ["accept_edits", "acceptEdits", "delegate", "dont_ask", "dontAsk"],
  },
  bypass: {
    nativeMode: "bypassPermissions",
    cliArgs: ["--permission-mode", "bypassPermissions"],
    label: "Skip all permission checks (root needs IS_SANDBOX=1)",
    aliases: ["bypass_permissions", "bypassPermissions", "dangerously_skip_permissions"],
  },
  plan: {
    nativeMode: "plan",
    cliArgs: ["--permission-mode", "plan"],
    label: "Plan only: read, never edit or run",
    aliases: [],
  },
};

// Native spellings (lower-cased) → the value `--permission-mode` takes. `delegate` no longer exists
// in Claude Code 2.1 (its --permission-mode choices are acceptEdits, auto, bypassPermissions,
// manual/default, dontAsk, plan), so it renders as the `auto` row. The normalized names are
// accepted too, so a kernel may pass either form.
const NATIVE_TO_CLI: Readonly<Record<string, string>> = {
  default: "default",
  manual: "default",
  auto: "acceptEdits",
  accept_edits: "acceptEdits",
  acceptedits: "acceptEdits",
  delegate: "acceptEdits",
  dont_ask: "dontAsk",
  dontask: "dontAsk",
  bypass: "bypassPermissions",
  bypass_permissions: "bypassPermissions",
  bypasspermissions: "bypassPermissions",
  dangerously_skip_permissions: "bypassPermissions",
  plan: "plan",
};

/**
 * The `--permission-mode` value for a run. A native mode wins over the normalized one (so
 * `dont_ask` renders as `dontAsk`, not as the `auto` row's `acceptEdits`); with neither, the mode
 * is `default`. Throws `AsmError("config_invalid")` for an unknown native mode.
 *
 * @example
 * ```ts
 * resolveClaudePermissionMode("auto"); // "acceptEdits"
 * resolveClaudePermissionMode("auto", "dont_ask"); // "dontAsk"
 * ```
 */
export function resolveClaudePermissionMode(permissionMode?: PermissionMode, nativePermissionMode?: string): string {
  if (nativePermissionMode !== undefined && nativePermissionMode.trim() !== "") {
    const cli = lookup(NATIVE_TO_CLI, nativePermissionMode.trim().toLowerCase());
    if (cli === undefined) {
      throw new AsmError(
        "config_invalid",
        `unknown Claude permission mode "${nativePermissionMode}"; use one of: ${Object.keys(NATIVE_TO_CLI).join(", ")}`,
        { provider: "claude", details: { key: "nativePermissionMode", value: nativePermissionMode } },
      );
    }
    return cli;
  }
  const row = claudePermissionModes[permissionMode ?? "default"];
  if ("unsupported" in row) {
    throw new AsmError("unsupported", row.unsupported, { provider: "claude", details: { key: "permissionMode" } });
  }
  return row.nativeMode;
}
