import { AsmError } from "@asm/contract";
import { ollamaKnobsSet } from "@asm/provider-utils";
import { CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN, CLAUDE_OLLAMA_DEFAULT_BASE_URL } from "./features.js";
import { findClaudeModel } from "./models.js";

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function conflict(message: string, keys: string[]): AsmError {
  return new AsmError("config_invalid", message, { provider: "claude", details: { keys } });
}

function stringOrUndefined(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw conflict(`${key} must be a string`, [key]);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Looks up an external model id: the catalog id first, then its aliases, then the name as given. */
function lookupOverride(overrides: Record<string, string>, model: string): string | undefined {
  const entry = findClaudeModel(model);
  const candidates = entry === undefined ? [model] : [entry.id, ...(entry.aliases ?? []), model];
  for (const name of candidates) if (Object.hasOwn(overrides, name)) return overrides[name];
  return undefined;
}

/**
 * Applies the common Ollama surface to Claude options (the object holds both common and Claude
 * keys). The surface is requested when `ollama` is true, any `ollama*` knob is set, or
 * `providerBackend` is `"ollama"`. It then sets `providerBackend: "ollama"`, `anthropicBaseUrl`
 * (from `ollamaBaseUrl`, default `http://127.0.0.1:11434`), `anthropicAuthToken` (default
 * `"ollama"`), and `model`: `model` or `ollamaModel`, mapped to an Ollama id through
 * `externalModelOverrides`. When both `model` and `ollamaModel` are given and differ, `model` is
 * the canonical name and the pair is added to the overrides.
 *
 * Idempotent. Throws `AsmError("config_invalid")` naming the keys on a conflict or a missing model.
 *
 * @example
 * ```ts
 * normalizeClaudeOptions({ ollama: true, model: "haiku", ollamaModel: "llama3.2" });
 * // → { …, providerBackend: "ollama", model: "llama3.2", externalModelOverrides: { haiku: "llama3.2" },
 * //     anthropicBaseUrl: "http://127.0.0.1:11434", anthropicAuthToken: "ollama" }
 * ```
 */
export function normalizeClaudeOptions(options: Record<string, unknown>): Record<string, unknown> {
  const knobs = ollamaKnobsSet(options);
  const backend = options["providerBackend"];
  const requested = options["ollama"] === true || knobs.length > 0 || backend === "ollama";
  if (!requested) return options;

  if (options["ollama"] === false) {
    throw conflict(`ollama is false but ${knobs.join(", ")} ${knobs.length === 1 ? "is" : "are"} set`, ["ollama", ...knobs]);
  }
  if (isSet(backend) && backend !== "ollama") {
    const surface = [...(options["ollama"] === true ? ["ollama"] : []), ...knobs];
    throw conflict(
      `providerBackend is "${String(backend)}" but ${surface.join(", ")} route${surface.length === 1 ? "s" : ""} Claude Code to Ollama; drop providerBackend or set it to "ollama"`,
      ["providerBackend", ...surface],
    );
  }

  const ollamaBaseUrl = stringOrUndefined(options, "ollamaBaseUrl");
  const anthropicBaseUrl = stringOrUndefined(options, "anthropicBaseUrl");
  if (ollamaBaseUrl !== undefined && anthropicBaseUrl !== undefined && ollamaBaseUrl !== anthropicBaseUrl) {
    throw conflict(
      `ollamaBaseUrl (${ollamaBaseUrl}) and anthropicBaseUrl (${anthropicBaseUrl}) disagree; set only one`,
      ["ollamaBaseUrl", "anthropicBaseUrl"],
    );
  }

  const rawOverrides = options["externalModelOverrides"];
  if (rawOverrides !== undefined && (typeof rawOverrides !== "object" || rawOverrides === null || Array.isArray(rawOverrides))) {
    throw conflict("externalModelOverrides must be an object of model name → Ollama model id", ["externalModelOverrides"]);
  }
  const overrides: Record<string, string> = { ...(rawOverrides as Record<string, string> | undefined) };

  const model = stringOrUndefined(options, "model");
  const ollamaModel = stringOrUndefined(options, "ollamaModel");
  if (model === undefined && ollamaModel === undefined) {
    throw conflict("the Ollama route has no default model: set model or ollamaModel", ["model", "ollamaModel"]);
  }
  if (model !== undefined && ollamaModel !== undefined && model !== ollamaModel) {
    const existing = lookupOverride(overrides, model);
    if (existing !== undefined && existing !== ollamaModel) {
      throw conflict(
        `externalModelOverrides maps model "${model}" to "${existing}" but ollamaModel is "${ollamaModel}"`,
        ["externalModelOverrides", "ollamaModel", "model"],
      );
    }
    if (existing === undefined) overrides[model] = ollamaModel;
  }
  const requestedModel = (model ?? ollamaModel) as string;
  const resolvedModel = lookupOverride(overrides, requestedModel) ?? requestedModel;

  const normalized: Record<string, unknown> = {
    ...options,
    providerBackend: "ollama",
    anthropicBaseUrl: ollamaBaseUrl ?? anthropicBaseUrl ?? CLAUDE_OLLAMA_DEFAULT_BASE_URL,
    anthropicAuthToken: stringOrUndefined(options, "anthropicAuthToken") ?? CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN,
    model: resolvedModel,
  };
  if (Object.keys(overrides).length > 0) normalized["externalModelOverrides"] = overrides;
  return normalized;
}
