import type { Capability } from "@asm/contract";

/** What the Codex CLI profile can do. */
export const codexCapabilities: readonly Capability[] = [
  "streaming",
  "tools",
  "interrupt",
  "resume",
  "cost",
  "thinking",
  "reasoning",
  "plan",
  "structured_output",
  "sandbox",
  "mcp",
];
