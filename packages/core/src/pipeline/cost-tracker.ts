import { backendEvent, type ModelPricing } from "@asm/contract";
import { costOf } from "@asm/provider-utils";
import { pass, type PipelinePlug } from "./plug.js";

const SEEN = "costTracker.sawCostUpdate";

/**
 * Fills in cost where the provider reports tokens but no price: a `cost_update` with a null
 * `costUsd` is replaced by one priced with `pricing`; a `result` with usage and no earlier
 * `cost_update` gets one injected after it (linked by causation).
 */
export function costTracker(pricing: ModelPricing): PipelinePlug {
  return {
    name: "cost-tracker",
    handle(event, context) {
      if (event.kind === "cost_update") {
        context.state[SEEN] = true;
        if (event.payload.costUsd !== null) return pass(event);
        const costUsd = costOf(pricing, event.payload);
        return pass({ ...event, payload: { ...event.payload, costUsd }, metadata: { ...event.metadata, costSource: "estimated" } });
      }
      if (event.kind === "result" && event.payload.usage && !context.state[SEEN]) {
        const usage = event.payload.usage;
        return pass(event, [
          backendEvent("cost_update", { ...usage, costUsd: costOf(pricing, usage), mode: "cumulative" }, { metadata: { costSource: "estimated" } }),
        ]);
      }
      return pass(event);
    },
  };
}
