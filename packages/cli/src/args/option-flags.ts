import type { ProviderDefinition } from "@asm/contract";
import { usageError } from "../exit-codes.js";

/**
 * Reads repeatable `--option key=value` into provider options. The value is JSON when it parses
 * as JSON (`maxTurns=5`, `includeThinking=true`, `allowRules=["Read"]`), else the text as given
 * (`sandbox=read-only`). Keys must be options of the provider's schema (a common option has a
 * flag of its own); the kernel then validates the values against that schema.
 *
 * @example
 * ```ts
 * optionsFromFlags(["sandbox=read-only", "skipGitRepoCheck=true"], codex());
 * // { sandbox: "read-only", skipGitRepoCheck: true }
 * ```
 */
export function optionsFromFlags(flags: readonly string[], provider: ProviderDefinition): Record<string, unknown> {
  const known = Object.keys(provider.optionsSchema.shape);
  const options: Record<string, unknown> = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const key = at > 0 ? flag.slice(0, at).trim() : "";
    if (key === "") throw usageError(`--option must be key=value (got "${flag}")`, { flag: "--option" });
    if (!known.includes(key)) {
      throw usageError(`--option ${key}: ${provider.name} has no option "${key}"; its options: ${known.join(", ")}`, { flag: "--option", key });
    }
    const text = flag.slice(at + 1);
    options[key] = parseValue(text);
  }
  return options;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
