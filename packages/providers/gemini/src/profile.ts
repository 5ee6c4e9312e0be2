import type { ProviderProfile } from "@asm/contract";
import { geminiCapabilities } from "./internal/capabilities.js";
import { geminiDiscovery } from "./internal/discovery.js";
import { buildGeminiInvocation } from "./internal/invocation.js";
import { createGeminiParser } from "./internal/parser.js";
import type { GeminiProfileOptions } from "./options.js";

/**
 * The Gemini CLI profile the core lane drives: `gemini --output-format stream-json --prompt=…`,
 * one process per run, stdin closed at start, interrupt by SIGINT to the process group (the CLI
 * then exits 0 without a result line, which the parser reports as `user_cancelled`).
 *
 * @example
 * ```ts
 * const parser = geminiProfile.createParser({ provider: "gemini", reply: () => undefined });
 * ```
 */
export const geminiProfile: ProviderProfile<GeminiProfileOptions> = {
  specificationVersion: "v1",
  id: "gemini",
  cli: geminiDiscovery,
  capabilities: geminiCapabilities,
  credentialEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  buildInvocation: buildGeminiInvocation,
  createParser: createGeminiParser,
  hostTools: { toolName: (server, tool) => `mcp_${server}_${tool}`, structuredJsonText: true },
};
