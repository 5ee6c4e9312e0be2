import { backendEvent, type BackendEvent } from "@asm/contract";
import { createAsm, type PipelinePlug } from "@asm/core";
import { createPolicy } from "@asm/policy";
import { createRouter } from "@asm/routing";
import { fakeProvider, type FakeStep } from "@asm/testkit";
import type { BenchPreset } from "../presets.js";
import { median } from "../stats.js";

/** What is measured on the same in-process event stream. */
const EXTENSION_VARIANTS = ["bare", "noopPlug", "policy", "router", "routerAndPolicy"] as const;

/** One way of running the stream. */
type ExtensionVariant = (typeof EXTENSION_VARIANTS)[number];

/** One variant's figures (medians over the repeats). */
interface ExtensionSample {
  /** Time for one run of `eventsPerRun` events. */
  ms: number;
  eventsPerSecond: number;
  /** Per-event time above the bare kernel's (µs; the noise of the run is about ±0.1). */
  overheadUsPerEvent: number;
}

/** The extensions section: what the policy plug and the router add per event to the bare kernel. */
export interface ExtensionsReport {
  eventsPerRun: number;
  runs: number;
  variants: Record<ExtensionVariant, ExtensionSample>;
}

// A run of many small events, the shape a streaming agent produces: text deltas, with a tool call
// and a usage update every fiftieth event (the events the policy counts).
function script(events: number): FakeStep[] {
  const steps: FakeStep[] = [{ emit: backendEvent("run_started", { providerSessionId: "bench" }, { providerSessionId: "bench" }) }];
  for (let i = 0; i < events; i += 1) {
    let event: BackendEvent;
    if (i % 50 === 25) event = backendEvent("tool_use", { toolName: "Read", toolCallId: `c${i}`, input: { path: "a.ts" } });
    else if (i % 50 === 49) event = backendEvent("cost_update", { inputTokens: 10, outputTokens: 5, costUsd: 0.0001 });
    else event = backendEvent("assistant_delta", { content: "token " });
    steps.push({ emit: event });
  }
  steps.push({ emit: backendEvent("result", { text: "done", usage: { inputTokens: 10, outputTokens: 5 } }) });
  return steps;
}

/**
 * Streams one in-process run (a scripted backend, no child process, so the kernel and the
 * extensions are all that is measured) per variant and repeat: bare, with a plug that passes every
 * event (the pipeline's own cost), with a policy checking tools and every budget, through the
 * router, and both. Variants alternate within each repeat so that load on the machine hits them alike.
 */
export async function benchExtensions(preset: BenchPreset, log: (line: string) => void): Promise<ExtensionsReport> {
  const { events, runs } = preset.extensions;
  const provider = fakeProvider(script(events), { name: "bench", admission: { maxConcurrentRuns: 4, maxQueuedRuns: 100 } });
  const asm = createAsm({ providers: [provider] });
  const noop: PipelinePlug = { name: "noop", handle: (event) => ({ action: "continue", event }) };
  const policy = createPolicy({ denyTools: ["Bash"], maxOutputTokens: 1e12, maxCostUsd: 1e9, maxTurns: 1e9, maxWallTimeMs: 1e12 });
  const router = createRouter({ asm, candidates: ["bench"] });
  const drain = async (stream: AsyncIterable<unknown>) => {
    let count = 0;
    for await (const _event of stream) count += 1;
    return count;
  };
  const runners: Record<ExtensionVariant, () => Promise<number>> = {
    bare: () => drain(asm.stream("bench", "go")),
    noopPlug: () => drain(asm.stream("bench", "go", { pipeline: [noop] })),
    policy: () => drain(asm.stream("bench", "go", { pipeline: [policy.plug] })),
    router: () => drain(router.stream("go")),
    routerAndPolicy: () => drain(router.stream("go", { pipeline: [policy.plug] })),
  };
  const samples = Object.fromEntries(EXTENSION_VARIANTS.map((variant) => [variant, [] as number[]])) as Record<ExtensionVariant, number[]>;
  try {
    // Warm-up: one run of each, unmeasured (JIT).
    for (const variant of EXTENSION_VARIANTS) await runners[variant]();
    for (let repeat = 0; repeat < runs; repeat += 1) {
      for (const variant of EXTENSION_VARIANTS) {
        const start = performance.now();
        await runners[variant]();
        samples[variant].push(performance.now() - start);
      }
    }
  } finally {
    await asm.dispose();
  }
  const bareMs = median(samples.bare);
  const variants = Object.fromEntries(
    EXTENSION_VARIANTS.map((variant) => {
      const ms = median(samples[variant]);
      return [variant, { ms, eventsPerSecond: (events / ms) * 1000, overheadUsPerEvent: ((ms - bareMs) * 1000) / events }];
    }),
  ) as Record<ExtensionVariant, ExtensionSample>;
  log(`extensions: bare ${bareMs.toFixed(1)} ms, policy +${variants.policy.overheadUsPerEvent.toFixed(2)} µs/event, router +${variants.router.overheadUsPerEvent.toFixed(2)} µs/event`);
  return { eventsPerRun: events, runs, variants };
}
