/** ASM's provider-neutral permission modes. Each provider maps them onto its own flags. */
export const PERMISSION_MODES = ["default", "auto", "bypass", "plan"] as const;
/** A normalized permission mode. */
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/** How approvals are handled: by a person, automatically, or not at all (refused at start). */
export const APPROVAL_POSTURES = ["manual", "auto", "none"] as const;
/** An approval posture. */
export type ApprovalPosture = (typeof APPROVAL_POSTURES)[number];

/** The permission mode an approval posture implies when none is given alongside it. */
export const POSTURE_PERMISSION_MODE: Record<ApprovalPosture, PermissionMode> = {
  manual: "default",
  auto: "auto",
  none: "bypass",
};

/** An answer to an approval request. */
export type ApprovalDecision = "allow" | "deny";

/** How one normalized mode renders for one provider. */
export interface NativePermissionMode {
  /** The provider's own name for the mode (`bypassPermissions`, `yolo`, …). */
  nativeMode: string;
  /** The CLI arguments that select it (empty when the CLI's default is that mode). */
  cliArgs: readonly string[];
  /** A human label. */
  label: string;
  /** Native aliases accepted for this mode (`accept_edits`, `dangerously_allow_all`, …). */
  aliases?: readonly string[];
}

/**
 * A provider's permission table: normalized mode → native rendering, or a string saying why the
 * mode is not available for that provider.
 */
export type PermissionModeTable = Record<PermissionMode, NativePermissionMode | { unsupported: string }>;

/** True when `value` is a normalized permission mode. */
export function isPermissionMode(value: unknown): value is PermissionMode {
  return typeof value === "string" && (PERMISSION_MODES as readonly string[]).includes(value);
}
