/** The Gemini CLI provider factory for `createAsm({ providers })`. */
export { gemini } from "./provider.js";
/** Gemini's option schema and types. */
export { geminiOptionsSchema } from "./options.js";
export type { GeminiOptions, GeminiOptionsInput, GeminiProfileOptions } from "./options.js";
/** The CLI profile the core lane drives (discovery, invocation, parser). */
export { geminiProfile } from "./profile.js";
