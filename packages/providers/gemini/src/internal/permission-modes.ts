import type { NativePermissionMode, PermissionMode, PermissionModeTable } from "@asm/contract";

/**
 * How ASM's permission modes map onto Gemini CLI 0.61's approval modes. In headless mode
 * (`--prompt`) the CLI cannot ask anyone, so tools that would need approval are not offered to the
 * model at all: under `default` the agent only gets read-only tools, and only `bypass` (`--yolo`)
 * offers the shell.
 *
 * | ASM | Gemini | flags |
 * | --- | --- | --- |
 * | default | default | none |
 * | auto | auto_edit | `--approval-mode auto_edit` |
 * | bypass | yolo | `--yolo` |
 * | plan | plan | `--approval-mode plan` |
 */
export const geminiPermissionModes = {
  default: {
    nativeMode: "default",
    cliArgs: [],
    label: "Ask before tools (headless: tools needing approval are not offered)",
  },
  auto: {
    nativeMode: "auto_edit",
    cliArgs: ["--approval-mode", "auto_edit"],
    label: "Approve file edits automatically",
    aliases: ["auto_edit"],
  },
  bypass: {
    nativeMode: "yolo",
    cliArgs: ["--yolo"],
    label: "Approve every tool call (YOLO)",
    aliases: ["yolo"],
  },
  plan: {
    nativeMode: "plan",
    cliArgs: ["--approval-mode", "plan"],
    label: "Read-only planning",
  },
} as const satisfies PermissionModeTable;

/**
 * The native rendering for a run: the native mode name wins when given (it may be an alias such as
 * `yolo`), else the normalized mode; `undefined` when neither names a known mode.
 */
export function resolveGeminiPermission(
  permissionMode: PermissionMode | undefined,
  nativePermissionMode: string | undefined,
): NativePermissionMode | undefined {
  const entries: NativePermissionMode[] = Object.values(geminiPermissionModes);
  if (nativePermissionMode !== undefined) {
    const wanted = nativePermissionMode.trim().toLowerCase();
    const native = entries.find((entry) => entry.nativeMode === wanted || (entry.aliases ?? []).includes(wanted));
    if (native !== undefined) return native;
  }
  return permissionMode === undefined ? undefined : geminiPermissionModes[permissionMode];
}
