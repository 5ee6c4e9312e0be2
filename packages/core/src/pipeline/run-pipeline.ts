import { AsmError, type AsmEvent, type BackendEvent } from "@asm/contract";
import type { PipelinePlug, PlugContext } from "./plug.js";

/** The outcome of passing one event through the plugs. */
export interface PipelineOutput {
  /** The event to emit (possibly replaced), or null when a plug dropped it. */
  event: AsmEvent | null;
  /** Events to emit after it, in order. */
  injected: BackendEvent[];
  /** Set when a plug failed the run. */
  error: AsmError | null;
}

/** Runs `event` through `plugs` in order (plugs without `handle` are passed over). */
export async function runPipeline(plugs: readonly PipelinePlug[], event: AsmEvent, context: PlugContext): Promise<PipelineOutput> {
  let current = event;
  const injected: BackendEvent[] = [];
  for (const plug of plugs) {
    if (plug.handle === undefined) continue;
    let verdict;
    try {
      verdict = await plug.handle(current, context);
    } catch (error) {
      return { event: null, injected, error: AsmError.from(error, "runtime", { details: { plug: plug.name } }) };
    }
    if (verdict.action === "fail") {
      if (verdict.inject) injected.push(...verdict.inject);
      return { event: null, injected, error: verdict.error };
    }
    if (verdict.action === "drop") return { event: null, injected, error: null };
    current = verdict.event;
    if (verdict.inject) injected.push(...verdict.inject);
    if (verdict.action === "halt") break;
  }
  return { event: current, injected, error: null };
}
