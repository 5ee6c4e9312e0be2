import type { PermissionModeTable } from "@asm/contract";

/**
 * How ASM's permission modes render for Amp. Amp's execute mode has one switch,
 * `--dangerously-allow-all`; `default` and `auto` run with Amp's own approval rules (its built-in
 * defaults plus `amp.permissions`) and send no flag. `plan` is refused: Amp has no read-only
 * mode, and running with the normal rules would let the agent change files the caller asked it
 * not to.
 */
export const ampPermissionModes: PermissionModeTable = {
  default: {
    nativeMode: "default",
    cliArgs: [],
    label: "default (Amp's own approval rules; no flag)",
  },
  auto: {
    nativeMode: "auto",
    cliArgs: [],
    label: "auto (native Amp behaviour: Amp approves by its own rules; no flag)",
  },
  bypass: {
    nativeMode: "dangerously_allow_all",
    cliArgs: ["--dangerously-allow-all"],
    label: "bypass (--dangerously-allow-all: no confirmation for any tool call)",
    aliases: ["dangerously_allow_all", "dangerously-allow-all"],
  },
  plan: {
    unsupported:
      "Amp's execute mode has no read-only plan mode; for a run that must not change files, deny the " +
      'editing tools with the permissions option (amp.permissions) and use permissionMode "default"',
  },
};
