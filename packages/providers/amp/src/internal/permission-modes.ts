import type { PermissionModeTable } from "@asm/contract";

/**
 * How ASM's permission modes render for Amp. Amp's execute mode has one switch,
 * `--dangerously-allow-all`; every other mode runs with Amp's own approval rules (its built-in
 * defaults plus `amp.permissions`), so `default`, `auto` and `plan` send no flag.
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
    nativeMode: "plan",
    cliArgs: [],
    label: "plan (Amp has no read-only plan mode; runs with Amp's own approval rules, no flag)",
  },
};
