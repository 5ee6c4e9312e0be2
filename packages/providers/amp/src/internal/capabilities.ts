import type { Capability } from "@asm/contract";

/**
 * What the Amp core lane offers. No `approval`: execute mode has no channel to ask the caller, so
 * approvals follow Amp's own rules (`permissions`) and denials only show in the result. No `cost`:
 * Amp publishes no prices, so cost is reported only when the stream carries one.
 */
export const ampCapabilities: readonly Capability[] = ["streaming", "tools", "interrupt", "resume", "thinking", "mcp"];
