import { z } from "zod";
import { AsmError, KERNEL_OPTION_KEYS, type AnyProviderDefinition } from "@asm/contract";
import { commonProviderOptionsSchema, COMMON_PROVIDER_OPTION_KEYS } from "@asm/provider-utils";
import { LEGACY_SURFACE_KEYS } from "./option-groups.js";

const schemaCache = new WeakMap<AnyProviderDefinition, z.ZodObject>();

/**
 * Option names that no provider or lane honours. They are not in the common schema; the kernel
 * refuses them here, for every provider, with `unsupported` and what to use instead, rather than
 * as an unknown key — this table is the one place they are refused.
 */
const RETIRED_OPTION_KEYS: Readonly<Record<string, string>> = {
  ollamaHttp: "the scheme of ollamaBaseUrl decides (http:// or https://); remove ollamaHttp",
  ollamaTimeoutMs: "bound the run with idleTimeoutMs or wallTimeoutMs instead; remove ollamaTimeoutMs",
};

/**
 * Names a provider schema may not declare: the kernel's keys (they would never reach the
 * provider: the kernel takes them first), the common provider keys (two meanings for one key),
 * the refused legacy placement keys and the retired keys.
 */
const RESERVED_OPTION_KEYS: readonly string[] = [
  ...KERNEL_OPTION_KEYS,
  ...COMMON_PROVIDER_OPTION_KEYS,
  ...LEGACY_SURFACE_KEYS,
  ...Object.keys(RETIRED_OPTION_KEYS),
];

/** The reserved keys a provider's option schema declares (none, for a valid provider). */
function reservedKeysOf(provider: AnyProviderDefinition): string[] {
  const reserved = new Set(RESERVED_OPTION_KEYS);
  return Object.keys(provider.optionsSchema.shape).filter((key) => reserved.has(key));
}

/**
 * Refuses a provider whose schema declares a kernel or common key: a kernel key would be taken by
 * the kernel and never reach the provider (Claude's `allowedTools` once did), a common key would
 * have two meanings depending on merge order.
 */
export function assertNoReservedKeys(provider: AnyProviderDefinition): void {
  const collisions = reservedKeysOf(provider);
  if (collisions.length > 0) {
    throw new AsmError(
      "config_invalid",
      `provider ${provider.name} option schema declares keys the kernel owns: ${collisions.join(", ")}; rename them`,
      { provider: provider.name, details: { keys: collisions } },
    );
  }
}

function schemaFor(provider: AnyProviderDefinition): z.ZodObject {
  let schema = schemaCache.get(provider);
  if (!schema) {
    schema = z.strictObject({ ...commonProviderOptionsSchema.shape, ...provider.optionsSchema.shape });
    schemaCache.set(provider, schema);
  }
  return schema;
}

/**
 * Refuses the retired keys, validates provider options strictly, once (unknown keys fail, naming
 * the key), and applies the provider's normalization (the Ollama surface, model
 * aliases). The result is what the profile and backends receive; none of them parses it again.
 */
export function validateProviderOptions(provider: AnyProviderDefinition, options: Record<string, unknown>): Record<string, unknown> {
  for (const [key, instead] of Object.entries(RETIRED_OPTION_KEYS)) {
    if (Object.hasOwn(options, key) && options[key] !== undefined) {
      throw new AsmError("unsupported", `option "${key}" is not supported by any provider: ${instead}`, {
        provider: provider.name,
        details: { key },
      });
    }
  }
  const parsed = schemaFor(provider).safeParse(options);
  if (!parsed.success) {
    const unknownKeys = parsed.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
    if (unknownKeys.length > 0) {
      throw new AsmError(
        "config_invalid",
        `unknown option${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((k) => `"${k}"`).join(", ")} for provider ${provider.name}`,
        { provider: provider.name, details: { key: unknownKeys[0], keys: unknownKeys } },
      );
    }
    const first = parsed.error.issues[0];
    const path = first?.path.join(".") ?? "";
    throw new AsmError("config_invalid", `invalid option "${path}" for provider ${provider.name}: ${first?.message ?? "invalid"}`, {
      provider: provider.name,
      cause: parsed.error,
      details: { key: path },
    });
  }
  const data = parsed.data;
  return provider.normalizeOptions ? (provider.normalizeOptions(data) as Record<string, unknown>) : data;
}
