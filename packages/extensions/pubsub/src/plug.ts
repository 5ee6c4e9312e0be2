import { AsmError, type AsmEvent } from "@asm/contract";
import { pass, type PipelinePlug } from "@asm/core";
import type { Broadcaster, PublishOverrides } from "./broadcaster.js";

/** Options of {@link broadcasterPlug}. */
export interface BroadcasterPlugOptions {
  /** Per-publish overrides (prefix, scopes, source). */
  publishOptions?: PublishOverrides;
  /**
   * What a publishing failure means for the run: `drop` (default) lets it go on and only reports;
   * `halt` ends the run with a `transport_error` at its next event once a dispatch has failed
   * since the run started. Queue overflow is the bound working, never a failure.
   */
  onFailure?: "drop" | "halt";
}

/**
 * A pipeline plug that publishes every event the run delivers (after all plugs, the terminal
 * events included) through a broadcaster. Publishing only enqueues, so it never slows the run.
 *
 * @example
 * ```ts
 * const broadcaster = createBroadcaster({ adapter: localBus() });
 * await asm.query("claude", "hi", { pipeline: [broadcasterPlug(broadcaster)] });
 * ```
 */
export function broadcasterPlug(broadcaster: Broadcaster, options: BroadcasterPlugOptions = {}): PipelinePlug {
  const onFailure = options.onFailure ?? "drop";
  if (onFailure !== "drop" && onFailure !== "halt") {
    throw new AsmError("config_invalid", 'on_failure must be "drop" or "halt"', { details: { key: "onFailure" } });
  }
  const stateKey = "asm.pubsub.errorsAtStart";
  const observe = (event: AsmEvent): void => {
    broadcaster.publish(event, options.publishOptions);
  };
  // With `drop` the plug only observes: it judges nothing, so the run's events take the same path
  // as without plugs (no pipeline pass per event).
  if (onFailure === "drop") return { name: "pubsub", observe };
  return {
    name: "pubsub",
    handle(event, context) {
      const errors = broadcaster.stats().errors;
      const atStart = context.state[stateKey];
      if (typeof atStart !== "number") context.state[stateKey] = errors;
      else if (errors > atStart) {
        const cause = broadcaster.lastError;
        return {
          action: "fail",
          error: new AsmError("transport_error", `publishing events failed: ${cause?.reason ?? "dispatch error"}`, {
            details: { plug: "pubsub", adapter: broadcaster.adapter.name, ...(cause ? { causeCode: cause.code } : {}) },
          }),
        };
      }
      return pass(event);
    },
    observe,
  };
}
