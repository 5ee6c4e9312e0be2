import type { ProviderDefinition } from "@asm/contract";
import { claudeCapabilities } from "./internal/capabilities.js";
import { claudeFeatures } from "./internal/features.js";
import { claudeModels } from "./internal/models.js";
import { normalizeClaudeOptions } from "./internal/normalize-options.js";
import { claudePermissionModes } from "./internal/permission-modes.js";
import { claudeOptionsSchema, type ClaudeOptionsInput, type ClaudeProfileOptions } from "./options.js";
import { claudeProfile } from "./profile.js";

/**
 * The Claude Code provider, to hand to `createAsm({ providers })`. Runs are admitted one at a
 * time per session, with ten waiting.
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
    models: claudeModels,
    admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: claudeCapabilities,
    profile: claudeProfile,
    normalizeOptions: (options) => normalizeClaudeOptions(options) as ClaudeProfileOptions,
  };
}
