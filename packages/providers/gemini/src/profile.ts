import type { ProviderProfile } from "@asm/contract";
import { geminiCapabilities } from "./capabilities.js";
import { geminiDiscovery } from "./discovery.js";
import { buildGeminiInvocation } from "./invocation.js";
import type { GeminiProfileOptions } from "./options.js";
import { createGeminiParser } from "./parser.js";

/**
 * The Gemini CLI profile the core lane drives: `gemini --output-format stream-json --prompt=…`,
 * one process per run, stdin closed at start, interrupt by SIGINT to the process group (the CLI
 * then exits 0 without a result line, which the parser reports as `user_cancelled`).
 */
export const geminiProfile: ProviderProfile<GeminiProfileOptions> = {
  specificationVersion: "v1",
  id: "gemini",
  cli: geminiDiscovery,
  capabilities: geminiCapabilities,
  buildInvocation: buildGeminiInvocation,
  createParser: createGeminiParser,
};
