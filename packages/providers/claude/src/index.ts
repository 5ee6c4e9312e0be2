/** The Claude Code provider factory for `createAsm({ providers })`. */
export { claude } from "./provider.js";
/** Claude Code's option schema and types. */
export { claudeOptionsSchema } from "./options.js";
export type { ClaudeOptions, ClaudeOptionsInput, ClaudeProfileOptions } from "./options.js";
/** The CLI profile the core lane drives (discovery, invocation, parser, control protocol). */
export { claudeProfile } from "./profile.js";
