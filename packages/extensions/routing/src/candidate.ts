import { AsmError } from "@asm/contract";

/** A provider the router may choose, as the caller writes it. */
export interface CandidateInput {
  /** Registered provider name (`claude`, `codex`, …). */
  provider: string;
  /** Unique id among the candidates (default: the provider name). Two candidates of one provider need ids. */
  id?: string;
  /** Options every run on this candidate gets (a model, a cwd, …); per-call options override them. */
  providerOptions?: Record<string, unknown>;
  /** Lower is preferred by the `priority` strategy (default 100). */
  priority?: number;
  /** Share of selections under the `weighted` strategy (a positive integer, default 1). */
  weight?: number;
}

/** A validated candidate. */
export interface Candidate {
  readonly id: string;
  readonly provider: string;
  readonly providerOptions: Readonly<Record<string, unknown>>;
  readonly priority: number;
  readonly weight: number;
  /** Position in the caller's list (ties of the priority strategy go to the earlier one). */
  readonly index: number;
}

function invalid(field: string, message: string): AsmError {
  return new AsmError("config_invalid", `${field} ${message}`, { details: { key: field } });
}

/**
 * Validates the caller's candidate list. Every problem is `config_invalid` naming the field
 * (`candidates[2].weight`), so a typo never silently drops a provider from the rotation.
 */
export function normalizeCandidates(value: unknown): Candidate[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid("candidates", "must be a non-empty array of candidates");
  const seen = new Set<string>();
  return value.map((raw: unknown, index) => {
    const at = `candidates[${index}]`;
    const input: Record<string, unknown> = typeof raw === "string" ? { provider: raw } : (raw as Record<string, unknown>);
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw invalid(at, "must be a provider name or { provider, id?, providerOptions?, priority?, weight? }");
    const known = new Set(["provider", "id", "providerOptions", "priority", "weight"]);
    for (const key of Object.keys(input)) if (!known.has(key)) throw invalid(`${at}.${key}`, "is not a candidate field");
    if (typeof input.provider !== "string" || input.provider === "") throw invalid(`${at}.provider`, "must be a non-empty provider name");
    const id = input.id === undefined ? input.provider : input.id;
    if (typeof id !== "string" || id === "") throw invalid(`${at}.id`, "must be a non-empty string");
    if (seen.has(id)) throw invalid(`${at}.id`, `duplicates the id ${JSON.stringify(id)}; give each candidate of one provider its own id`);
    seen.add(id);
    const providerOptions = input.providerOptions ?? {};
    if (typeof providerOptions !== "object" || providerOptions === null || Array.isArray(providerOptions)) throw invalid(`${at}.providerOptions`, "must be an object");
    const priority = input.priority ?? 100;
    if (typeof priority !== "number" || !Number.isInteger(priority)) throw invalid(`${at}.priority`, "must be an integer");
    const weight = input.weight ?? 1;
    if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 1) throw invalid(`${at}.weight`, "must be a positive integer");
    return { id, provider: input.provider, providerOptions: providerOptions as Record<string, unknown>, priority, weight, index };
  });
}
