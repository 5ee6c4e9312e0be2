import type { ProviderDefinition } from "@asm/contract";
import { codexCapabilities } from "./internal/capabilities.js";
import { codexFeatures } from "./internal/features.js";
import { codexModels } from "./internal/models.js";
import { normalizeCodexOptions } from "./internal/normalize-options.js";
import { codexPermissionModes } from "./internal/permission-modes.js";
import { codexOptionsSchema, type CodexOptionsInput, type CodexProfileOptions } from "./options.js";
import { codexProfile } from "./profile.js";

/**
 * The Codex provider (`codex exec`), for `createAsm({ providers: [codex()] })`. Alias `codex_exec`.
 *
 * @example
 * ```ts
 * import { createAsm } from "@asm/core";
 * import { codex } from "@asm/codex";
 *
 * const asm = createAsm({ providers: [codex()] });
 * const session = await asm.startSession({ provider: "codex", permissionMode: "bypass", cwd: process.cwd() });
 * for await (const event of session.stream("List the files here")) console.log(event.kind);
 * ```
 */
export function codex(): ProviderDefinition<"codex", CodexProfileOptions, CodexOptionsInput> {
  return {
    specificationVersion: "v1",
    name: "codex",
    displayName: "OpenAI Codex",
    aliases: ["codex_exec"],
    optionsSchema: codexOptionsSchema,
    permissionModes: codexPermissionModes,
    features: codexFeatures,
    models: codexModels,
    admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: codexCapabilities,
    profile: codexProfile,
    normalizeOptions: (options) => normalizeCodexOptions(options) as CodexProfileOptions,
  };
}
