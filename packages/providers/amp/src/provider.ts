import type { AdmissionProfile, ProviderDefinition } from "@asm/contract";
import { AMP_CAPABILITIES } from "./capabilities.js";
import { ampFeatures } from "./features.js";
import { ampModels } from "./models.js";
import { normalizeAmpOptions } from "./normalize-options.js";
import { ampOptionsSchema, type AmpOptionsInput, type AmpProfileOptions } from "./options.js";
import { ampPermissionModes } from "./permission-modes.js";
import { ampProfile } from "./profile.js";

/** Runs per ASM session: one at a time, ten queued. */
export const AMP_ADMISSION: AdmissionProfile = { maxConcurrentRuns: 1, maxQueuedRuns: 10 };

/**
 * The Sourcegraph Amp provider, for `createAsm({ providers: [amp()] })`. Amp runs on the core
 * lane only: its agent loop runs on Amp's servers, and the Amp SDK adds nothing over the CLI.
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
    admission: AMP_ADMISSION,
    capabilities: AMP_CAPABILITIES,
    profile: ampProfile,
    normalizeOptions: (options) => normalizeAmpOptions(options) as AmpProfileOptions,
  };
}
