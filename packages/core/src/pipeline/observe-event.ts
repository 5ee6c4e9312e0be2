import type { AsmEvent } from "@asm/contract";
import type { PipelinePlug, PlugContext } from "./plug.js";

/**
 * Hands a delivered event to every plug that observes. An observer is a bystander: whatever it
 * throws or rejects with is dropped here, so it can neither fail nor hold up the run.
 */
export function observeEvent(plugs: readonly PipelinePlug[], event: AsmEvent, context: PlugContext): void {
  for (const plug of plugs) {
    if (typeof plug.observe !== "function") continue;
    try {
      const returned: unknown = plug.observe(event, context);
      if (returned instanceof Promise) returned.catch(() => undefined);
    } catch {
      // An observer's failure is its own business.
    }
  }
}
