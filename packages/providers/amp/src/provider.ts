import type { ProviderDefinition } from "@asm/contract";
import { ampCapabilities } from "./internal/capabilities.js";
import { ampFeatures } from "./internal/features.js";
import { ampModels } from "./internal/models.js";
import { normalizeAmpOptions } from "./internal/normalize-options.js";
import { ampPermissionModes } from "./internal/permission-modes.js";
import { ampOptionsSchema, type AmpOptionsInput, type AmpProfileOptions } from "./options.js";
import { ampProfile } from "./profile.js";

/**
 * The Sourcegraph Amp provider, for `createAsm({ providers: [amp()] })`. Amp runs on the core
 * lane only: its agent loop runs on Amp's servers, and the Amp SDK adds nothing over the CLI.
 * Runs are admitted one at a time per session, with ten waiting.
 *
 * @example
 * ```ts
 * const asm = createAsm({ providers: [amp()] });
 * const result = await asm.query("amp", "Summarize README.md", { mode: "low" });
 * ```
 */
export function amp(): ProviderDefinition<"amp", AmpProfileOptions, AmpOptionsInput> {
  return {
    specificationVersion: "v1",
    name: "amp",
    displayName: "Amp",
    optionsSchema: ampOptionsSchema,
    permissionModes: ampPermissionModes,
    features: ampFeatures,
    models: ampModels,
    admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: ampCapabilities,
    profile: ampProfile,
    normalizeOptions: normalizeAmpOptions,
  };
}
