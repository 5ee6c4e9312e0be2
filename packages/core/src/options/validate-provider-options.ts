import { z } from "zod";
import { AsmError, type ProviderDefinition } from "@asm/contract";
import { commonProviderOptionsSchema, COMMON_PROVIDER_OPTION_KEYS } from "@asm/provider-utils";

const schemaCache = new WeakMap<ProviderDefinition, z.ZodObject>();

/**
 * Refuses a provider whose schema redeclares a common key: two meanings for one key would make
 * validation depend on merge order.
 */
export function assertNoReservedKeys(provider: ProviderDefinition): void {
  const collisions = Object.keys(provider.optionsSchema.shape).filter((key) => COMMON_PROVIDER_OPTION_KEYS.includes(key));
  if (collisions.length > 0) {
    throw new AsmError(
      "config_invalid",
      `provider ${provider.name} option schema collides with reserved keys: ${collisions.join(", ")}`,
      { provider: provider.name, details: { keys: collisions } },
    );
  }
}

function schemaFor(provider: ProviderDefinition): z.ZodObject {
  let schema = schemaCache.get(provider);
  if (!schema) {
    schema = z.strictObject({ ...commonProviderOptionsSchema.shape, ...provider.optionsSchema.shape });
    schemaCache.set(provider, schema);
  }
  return schema;
}

/**
 * Validates provider options strictly (unknown keys fail, naming the key) and applies the
 * provider's normalization (the Ollama surface, model aliases).
 */
export function validateProviderOptions(provider: ProviderDefinition, options: Record<string, unknown>): Record<string, unknown> {
  const parsed = schemaFor(provider).safeParse(options);
  if (!parsed.success) {
    const unknownKeys = parsed.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
    if (unknownKeys.length > 0) {
      throw new AsmError(
        "config_invalid",
        `unknown option${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((k) => `"${k}"`).join(", ")} for provider ${provider.name}`,
        { provider: provider.name, details: { keys: unknownKeys } },
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
  const data = parsed.data as Record<string, unknown>;
  return provider.normalizeOptions ? provider.normalizeOptions(data) : data;
}
