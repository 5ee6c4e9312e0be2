// The AI SDK face of ASM: a language model (specification v4) that runs on an ASM session.

/** The model and the provider function. */
export { AsmLanguageModel } from "./asm-language-model.js";
export type { AsmModelSettings } from "./asm-language-model.js";
export { createAsmProvider } from "./asm-provider.js";
export type { AsmProvider } from "./asm-provider.js";
