import { backendEvent, type BackendEvent } from "@asm/contract";
import { boundText } from "./bounded-raw.js";

/**
 * How many distinct drift keys (unknown event types, unexpected shapes) one run warns about;
 * later ones still pass through as `raw`, without a warning, so a stream of unique types cannot
 * grow memory without bound.
 */
export const MAX_DRIFT_KEYS = 256;

/** Longest native type name carried in `metadata.unknownType` or a drift key. */
export const MAX_TYPE_NAME_CHARS = 120;

/** The runtime's side of schema drift: one `schema_drift` warning per unknown event type and run. */
export interface UnknownTypeWarnings {
  /**
   * The warning to emit after `event` when it is the first `raw` event of an unknown type
   * (`metadata.unknownType`, set by the parser) in this run, else `undefined`.
   */
  after(event: BackendEvent): BackendEvent | undefined;
}

/**
 * Tracks the unknown event types one run's parser reports, for the lane that runs it: the first
 * of each type gets a `schema_drift` warning naming it, at most {@link MAX_DRIFT_KEYS} types.
 *
 * @example
 * ```ts
 * const drift = createUnknownTypeWarnings("claude");
 * for (const event of parser.line(line)) {
 *   emit(event);
 *   const warning = drift.after(event);
 *   if (warning !== undefined) emit(warning);
 * }
 * ```
 */
export function createUnknownTypeWarnings(profileId: string, maxTypes: number = MAX_DRIFT_KEYS): UnknownTypeWarnings {
  const seen = new Set<string>();
  return {
    after(event) {
      if (event.kind !== "raw") return undefined;
      const unknownType: unknown = event.metadata?.["unknownType"];
      if (typeof unknownType !== "string") return undefined;
      const type = boundText(unknownType, MAX_TYPE_NAME_CHARS);
      if (seen.has(type) || seen.size >= maxTypes) return undefined;
      seen.add(type);
      return backendEvent("warning", {
        code: "schema_drift",
        message: `${profileId} printed an event type this profile does not know: ${type}; it is passed through as raw`,
        details: { type, profile: profileId },
      });
    },
  };
}
