import type { Capability } from "@asm/contract";

/** What Claude Code can do through ASM's core lane. */
export const claudeCapabilities: readonly Capability[] = [
  "streaming",
  "tools",
  "approval",
  "interrupt",
  "resume",
  "cost",
  "thinking",
  "structured_output",
  "multi_turn",
  "control_protocol",
];
