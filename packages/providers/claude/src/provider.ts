import type { AdmissionProfile, ProviderDefinition } from "@asm/contract";
import { claudeFeatures } from "./features.js";
import { claudeModelCatalog } from "./models.js";
import { normalizeClaudeOptions } from "./normalize-options.js";
import { claudeOptionsSchema, type ClaudeOptionsInput, type ClaudeProfileOptions } from "./options.js";
import { claudePermissionModes } from "./permission-modes.js";
import { CLAUDE_CAPABILITIES, claudeProfile } from "./profile.js";

/** Runs admitted per session: one at a time, ten waiting. */
export const CLAUDE_ADMISSION: AdmissionProfile = { maxConcurrentRuns: 1, maxQueuedRuns: 10 };

/**
 * The Claude Code provider, to hand to `createAsm({ providers })`.
 *
 * @example
 * ```ts
 * import { claude } from "@asm/claude";
 * const asm = createAsm({ providers: [claude()] });
 * const session = await asm.startSession({ provider: "claude", permissionMode: "default" });
 * ```
 */
export function claude(): ProviderDefinition<"claude", ClaudeProfileOptions, ClaudeOptionsInput> {
  return {
    specificationVersion: "v1",
    name: "claude",
    displayName: "Claude Code",
    optionsSchema: claudeOptionsSchema,
    permissionModes: claudePermissionModes,
    features: claudeFeatures,
    models: claudeModelCatalog,
    admission: CLAUDE_ADMISSION,
    capabilities: CLAUDE_CAPABILITIES,
    profile: claudeProfile,
    normalizeOptions: (options) => normalizeClaudeOptions(options) as ClaudeProfileOptions,
  };
}
