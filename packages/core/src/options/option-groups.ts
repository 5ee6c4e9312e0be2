import { EXECUTION_OPTION_KEYS, RUN_OPTION_KEYS, SESSION_OPTION_KEYS } from "@asm/contract";

/**
 * Option keys are partitioned into groups (the key lists are the contract's, so providers can be
 * checked against them). Everything not listed here is a provider option and is
 * validated strictly by the provider's schema.
 */

/** Keys that shape where and how the run executes (resolved with execution precedence). */
export const EXECUTION_KEYS = EXECUTION_OPTION_KEYS;

/** Keys that configure one run of the kernel. */
export const RUN_KEYS = RUN_OPTION_KEYS;

/** Keys that only make sense when a session starts. */
export const SESSION_KEYS = SESSION_OPTION_KEYS;

/**
 * Top-level placement keys of older releases. They are refused with a message pointing at
 * `executionSurface`, because silently ignoring placement would run the CLI in the wrong place.
 */
export const LEGACY_SURFACE_KEYS = [
  "surfaceKind",
  "transportOptions",
  "leaseRef",
  "surfaceRef",
  "targetId",
  "boundaryClass",
  "observability",
] as const;

const execution = new Set<string>(EXECUTION_KEYS);
const run = new Set<string>(RUN_KEYS);
const session = new Set<string>(SESSION_KEYS);

/** Options split by group. */
export interface PartitionedOptions {
  execution: Record<string, unknown>;
  run: Record<string, unknown>;
  session: Record<string, unknown>;
  provider: Record<string, unknown>;
}

/** Splits an options object into its groups. `undefined` values count as absent. */
export function partitionOptions(options: Record<string, unknown>): PartitionedOptions {
  const out: PartitionedOptions = { execution: {}, run: {}, session: {}, provider: {} };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (execution.has(key)) out.execution[key] = value;
    else if (run.has(key)) out.run[key] = value;
    else if (session.has(key)) out.session[key] = value;
    else out.provider[key] = value;
  }
  return out;
}

/** Per-run values override session defaults key by key (nested objects are not deep-merged). */
export function mergeLayer(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  return { ...base, ...override };
}
