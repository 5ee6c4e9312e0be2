/** The Codex provider factory for `createAsm({ providers })`. */
export { codex } from "./provider.js";
/** The Codex option schema and types. */
export { codexOptionsSchema } from "./options.js";
export type { CodexOptions, CodexOptionsInput, CodexProfileOptions } from "./options.js";
/** The CLI profile the core lane drives (discovery, invocation, parser). */
export { codexProfile } from "./profile.js";
