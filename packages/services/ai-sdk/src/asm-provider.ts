import type { Asm } from "@asm/core";
import { AsmLanguageModel, type AsmModelSettings } from "./asm-language-model.js";

/** An AI SDK provider over an ASM runtime: call it with a provider name to get a model. */
export type AsmProvider = (provider: string, settings?: AsmModelSettings) => AsmLanguageModel;

/**
 * Wraps an ASM runtime as an AI SDK provider.
 *
 * @example
 * ```ts
 * const asm = createAsmProvider(createAsm({ providers: [claude()] }));
 * const { text } = await generateText({ model: asm("claude", { model: "sonnet" }), prompt: "Reply OK" });
 * ```
 */
export function createAsmProvider(runtime: Asm): AsmProvider {
  return (provider, settings) => new AsmLanguageModel(runtime, provider, settings);
}
