import type { ProviderDefinition } from "@asm/contract";
import { geminiCapabilities } from "./internal/capabilities.js";
import { geminiFeatures } from "./internal/features.js";
import { geminiModels } from "./internal/models.js";
import { normalizeGeminiOptions } from "./internal/normalize-options.js";
import { geminiPermissionModes } from "./internal/permission-modes.js";
import { geminiOptionsSchema, type GeminiOptionsInput, type GeminiProfileOptions } from "./options.js";
import { geminiProfile } from "./profile.js";

/**
 * The Gemini CLI provider, for `createAsm({ providers: [gemini()] })`.
 *
 * @example
 * ```ts
 * const asm = createAsm({ providers: [gemini()] });
 * const session = await asm.startSession({ provider: "gemini", permissionMode: "bypass", cwd });
 * for await (const event of session.stream("Run echo hi")) console.log(event.kind);
 * ```
 */
export function gemini(): ProviderDefinition<"gemini", GeminiProfileOptions, GeminiOptionsInput> {
  return {
    specificationVersion: "v1",
    name: "gemini",
    displayName: "Gemini CLI",
    optionsSchema: geminiOptionsSchema,
    permissionModes: geminiPermissionModes,
    features: geminiFeatures,
    models: geminiModels,
    admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: geminiCapabilities,
    profile: geminiProfile,
    normalizeOptions: normalizeGeminiOptions,
  };
}
