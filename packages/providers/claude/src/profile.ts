import type { Capability, ProviderProfile } from "@asm/contract";
import { claudeControlProtocol } from "./control-protocol.js";
import { claudeCliDiscovery } from "./discovery.js";
import { buildClaudeInvocation } from "./invocation.js";
import type { ClaudeProfileOptions } from "./options.js";
import { createClaudeParser } from "./parser.js";

/** What Claude Code can do through ASM's core lane. */
export const CLAUDE_CAPABILITIES: readonly Capability[] = [
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

/**
 * The Claude Code CLI profile the core lane drives: discovery of `claude`, the invocation builder,
 * the stream-json parser, and the stdio control protocol.
 *
 * With the control protocol (the default) the invocation keeps stdin open; the kernel writes
 * approval answers, interrupts and follow-ups through {@link claudeControlProtocol}, and closes
 * stdin once the outcome arrives. In print mode (`controlProtocol: false`) stdin is closed at once
 * and interrupting means SIGINT.
 */
export const claudeProfile: ProviderProfile<ClaudeProfileOptions> = {
  specificationVersion: "v1",
  id: "claude",
  cli: claudeCliDiscovery,
  capabilities: CLAUDE_CAPABILITIES,
  buildInvocation: buildClaudeInvocation,
  createParser: createClaudeParser,
  control: claudeControlProtocol,
};
