import { AsmError, type CommonFeatureSupport } from "@asm/contract";

/** The common option keys that make up the Ollama surface, `ollama` first. */
export const OLLAMA_OPTION_KEYS = ["ollama", "ollamaModel", "ollamaBaseUrl"] as const;

/** The Ollama keys besides the `ollama` switch: setting any of them asks for the surface too. */
export const OLLAMA_KNOB_KEYS = ["ollamaModel", "ollamaBaseUrl"] as const;

/** One key of the Ollama surface. */
export type OllamaOptionKey = (typeof OLLAMA_OPTION_KEYS)[number];

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** The Ollama knobs (not the `ollama` switch) that are set in `options`. */
export function ollamaKnobsSet(options: Readonly<Record<string, unknown>>): Array<(typeof OLLAMA_KNOB_KEYS)[number]> {
  return OLLAMA_KNOB_KEYS.filter((key) => Object.hasOwn(options, key) && isSet(options[key]));
}

/**
 * The Ollama keys that ask for the surface: `ollama` when it is `true`, and every knob that is set.
 *
 * @example
 * ```ts
 * requestedOllamaKeys({ ollama: false, ollamaModel: "llama3.2" }); // ["ollamaModel"]
 * ```
 */
export function requestedOllamaKeys(options: Readonly<Record<string, unknown>>): OllamaOptionKey[] {
  return [...(Object.hasOwn(options, "ollama") && options["ollama"] === true ? (["ollama"] as const) : []), ...ollamaKnobsSet(options)];
}

/** Who refuses the Ollama surface, and why. */
export interface OllamaRefusal {
  /** Provider name, carried by the error (`gemini`). */
  provider: string;
  /** Name for people, used in the message (`Gemini`). */
  displayName: string;
  /** Why the provider cannot do it and what to use instead. */
  reason: string;
}

/**
 * For a provider without an Ollama route: throws `AsmError("unsupported")` naming every Ollama
 * key that is set, so the surface fails closed instead of being ignored; otherwise returns.
 */
export function rejectOllamaOptions(options: Readonly<Record<string, unknown>>, refusal: OllamaRefusal): void {
  const keys = requestedOllamaKeys(options);
  if (keys.length === 0) return;
  throw new AsmError(
    "unsupported",
    `${refusal.displayName} does not support the common Ollama surface (set: ${keys.join(", ")}); ${refusal.reason}`,
    { provider: refusal.provider, details: { keys, feature: "ollama" } },
  );
}

/** The `ollama` entry of a feature manifest for a provider that has no Ollama route. */
export function unsupportedOllamaFeature(notes: string): CommonFeatureSupport {
  return { supported: false, commonOptions: OLLAMA_OPTION_KEYS, notes };
}

/**
 * The `ollama` entry of a feature manifest for a provider with an Ollama route: the whole common
 * surface, plus how the route is activated and chosen.
 */
export function supportedOllamaFeature(route: Omit<CommonFeatureSupport, "supported" | "commonOptions">): CommonFeatureSupport {
  return { supported: true, commonOptions: OLLAMA_OPTION_KEYS, ...route };
}
