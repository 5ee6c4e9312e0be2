import type { PermissionModeTable } from "@asm/contract";

/**
 * How ASM's permission modes render for `codex exec` 0.169.0.
 *
 * - `default`: no flag; Codex's own default (sandboxed commands, no approval prompts in exec mode).
 * - `auto`: unsupported: `codex exec` cannot stop to ask for an approval, so there is no
 *   "approve some things automatically" level between its default and bypass.
 * - `bypass`: `--dangerously-bypass-approvals-and-sandbox` (native `yolo`).
 * - `plan`: unsupported: 0.169.0 has no plan flag for exec (Plan is a collaboration mode of the
 *   interactive interface only).
 */
export const codexPermissionModes: PermissionModeTable = {
  default: { nativeMode: "default", cliArgs: [], label: "Default (sandboxed, no approval prompts)" },
  auto: {
    unsupported:
      'codex exec cannot pause for approvals, so it has no automatic-approval mode; use permissionMode "default" ' +
      '(optionally with the sandbox option "workspace-write") or "bypass"',
  },
  bypass: {
    nativeMode: "yolo",
    cliArgs: ["--dangerously-bypass-approvals-and-sandbox"],
    label: "Bypass approvals and sandbox",
    aliases: ["dangerously_bypass_approvals_and_sandbox"],
  },
  plan: {
    unsupported:
      'codex exec 0.169.0 has no plan flag (Plan is a mode of the interactive CLI only); for a run that cannot ' +
      'change files use permissionMode "default" with the sandbox option "read-only"',
  },
};
