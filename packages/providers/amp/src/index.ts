/** The Sourcegraph Amp provider factory for `createAsm({ providers })`. */
export { amp } from "./provider.js";
/** Amp's option schema and types. */
export { ampOptionsSchema } from "./options.js";
export type { AmpOptions, AmpOptionsInput, AmpProfileOptions } from "./options.js";
/** The CLI profile the core lane drives (discovery, invocation, parser). */
export { ampProfile } from "./profile.js";
