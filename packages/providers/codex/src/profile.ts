import type { Capability, ProviderProfile } from "@asm/contract";
import { codexDiscovery } from "./discovery.js";
import { buildInvocation } from "./invocation.js";
import type { CodexProfileOptions } from "./options.js";
import { createCodexParser } from "./parser.js";

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

/**
 * The `codex exec --json` profile: argv/env/stdin from {@link buildInvocation}, stdout decoded by
 * {@link createCodexParser}. stdin is closed at start; steering a running turn means interrupt,
 * then resume with the thread id.
 */
export const codexProfile: ProviderProfile<CodexProfileOptions> = {
  specificationVersion: "v1",
  id: "codex",
  cli: codexDiscovery,
  capabilities: codexCapabilities,
  buildInvocation,
  createParser: (context) => createCodexParser(context),
};
