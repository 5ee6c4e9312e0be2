import { secretValuesOf, type SecretValue } from "@asm/provider-utils";
import type { RunSpec } from "./run-spec.js";

function stringRecord(value: unknown): Record<string, string | undefined> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * The secrets of one run: the values of the known API key variables and of the variables the
 * caller marked secret (`secretEnv`), from the host's environment and the run's `env`, plus
 * `extraSecrets` (the run's host tools token).
 */
export function runSecrets(spec: Pick<RunSpec, "providerOptions" | "backendOptions">, extraSecrets: readonly string[] = []): SecretValue[] {
  const marked = spec.providerOptions.secretEnv;
  const names = Array.isArray(marked) ? marked.filter((name): name is string => typeof name === "string") : [];
  return [
    ...secretValuesOf(process.env, names),
    ...secretValuesOf(stringRecord(spec.providerOptions.env), names),
    ...secretValuesOf(stringRecord(spec.backendOptions.env), names),
    ...extraSecrets.map((value) => ({ value, name: "ASM_HOST_TOOLS_TOKEN" })),
  ];
}
