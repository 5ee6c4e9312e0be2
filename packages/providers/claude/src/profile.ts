import type { ProviderProfile } from "@asm/contract";
import { claudeCapabilities } from "./internal/capabilities.js";
import { claudeControlProtocol } from "./internal/control-protocol.js";
import { claudeDiscovery } from "./internal/discovery.js";
import { buildClaudeInvocation } from "./internal/invocation.js";
import { createClaudeParser } from "./internal/parser.js";
import type { ClaudeProfileOptions } from "./options.js";

/**
 * The Claude Code CLI profile the core lane drives: discovery of `claude`, the invocation builder,
 * the stream-json parser, and the stdio control protocol.
 *
 * With the control protocol (the default) the invocation keeps stdin open; the kernel writes
 * approval answers, interrupts and follow-ups through the profile's `control`, and closes stdin
 * once the outcome arrives. In print mode (`controlProtocol: false`) stdin is closed at once and
 * interrupting means SIGINT.
 *
 * @example
 * ```ts
 * const parser = claudeProfile.createParser({ provider: "claude", reply: (line) => stdin.write(`${line}\n`) });
 * ```
 */
export const claudeProfile: ProviderProfile<ClaudeProfileOptions> = {
  specificationVersion: "v1",
  id: "claude",
  cli: claudeDiscovery,
  capabilities: claudeCapabilities,
  credentialEnv: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
  buildInvocation: buildClaudeInvocation,
  createParser: createClaudeParser,
  control: claudeControlProtocol,
  hostTools: { toolName: (server, tool) => `mcp__${server}__${tool}` },
};
