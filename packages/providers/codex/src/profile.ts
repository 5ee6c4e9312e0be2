import type { ProviderProfile } from "@asm/contract";
import { codexCapabilities } from "./internal/capabilities.js";
import { codexDiscovery } from "./internal/discovery.js";
import { buildCodexInvocation } from "./internal/invocation.js";
import { createCodexParser } from "./internal/parser.js";
import type { CodexProfileOptions } from "./options.js";

/**
 * The `codex exec --json` profile the core lane drives: the command line from the validated
 * options, stdout decoded line by line. stdin is closed at start; steering a running turn means
 * interrupt, then resume with the thread id.
 *
 * @example
 * ```ts
 * const invocation = codexProfile.buildInvocation({ prompt: "hi", options: { skipGitRepoCheck: true }, maxArgvPromptBytes: 100_000 });
 * ```
 */
export const codexProfile: ProviderProfile<CodexProfileOptions> = {
  specificationVersion: "v1",
  id: "codex",
  cli: codexDiscovery,
  capabilities: codexCapabilities,
  credentialEnv: ["OPENAI_API_KEY", "CODEX_API_KEY"],
  buildInvocation: buildCodexInvocation,
  createParser: (context) => createCodexParser(context),
  hostTools: { toolName: (server, tool) => `${server}.${tool}` },
};
