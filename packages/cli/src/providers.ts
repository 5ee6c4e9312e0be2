import { amp } from "@asm/amp";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import type { ProviderDefinition } from "@asm/contract";
import { AsmError } from "@asm/contract";
import { gemini } from "@asm/gemini";

/** The providers `asm` knows, in the order it lists them. */
export const PROVIDER_NAMES = ["claude", "codex", "gemini", "amp"] as const;

/** Every provider package `asm` ships with, freshly built. */
export function loadProviders(): ProviderDefinition[] {
  return [claude(), codex(), gemini(), amp()];
}

/** One provider by name or alias; unknown names are a `not_found` error listing the known ones. */
export function findProvider(name: string, providers: readonly ProviderDefinition[] = loadProviders()): ProviderDefinition {
  const wanted = name.trim().toLowerCase();
  const found = providers.find((provider) => provider.name === wanted || (provider.aliases ?? []).includes(wanted));
  if (found === undefined) {
    throw new AsmError("not_found", `unknown provider "${name}"; known: ${providers.map((provider) => provider.name).join(", ")}`, {
      details: { provider: name },
    });
  }
  return found;
}

/** How to sign in to each provider's CLI (for `asm doctor`). */
export const AUTH_HINTS: Readonly<Record<string, string>> = {
  claude: "run `claude` once and log in, or set ANTHROPIC_API_KEY",
  codex: "run `codex login`, or set OPENAI_API_KEY",
  gemini: "set GEMINI_API_KEY, or run `gemini` once and sign in with Google",
  amp: "run `amp login`, or set AMP_API_KEY",
};
