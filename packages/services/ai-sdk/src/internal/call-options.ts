import type { LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { AsmError } from "@asm/contract";

const SAMPLING = ["maxOutputTokens", "temperature", "stopSequences", "topP", "topK", "presencePenalty", "frequencyPenalty", "seed"] as const;

/**
 * Refuses what an agent CLI cannot honour (sampling settings, JSON output, client-side tools)
 * with `unsupported` naming the option, rather than dropping it silently.
 */
export function refuseUnsupported(options: LanguageModelV4CallOptions): void {
  for (const key of SAMPLING) {
    if (options[key] !== undefined) throw new AsmError("unsupported", `${key} is not supported: the agent CLI chooses its own sampling`, { details: { key } });
  }
  if (options.responseFormat !== undefined && options.responseFormat.type !== "text") {
    throw new AsmError("unsupported", "responseFormat json is not supported", { details: { key: "responseFormat" } });
  }
  if ((options.tools?.length ?? 0) > 0) {
    throw new AsmError("unsupported", "client-side tools are not supported: the agent runs its own tools (reported as provider-executed)", { details: { key: "tools" } });
  }
  if (options.reasoning !== undefined && options.reasoning !== "provider-default") {
    throw new AsmError("unsupported", "reasoning effort is set through the provider's own options", { details: { key: "reasoning" } });
  }
}
