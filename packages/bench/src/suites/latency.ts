import { performance } from "node:perf_hooks";
import { AsmError } from "@asm/contract";
import { asmStream, createBenchAsm } from "../consumers/asm-stream.js";
import { readlineParse } from "../consumers/readline-parse.js";
import { sdkQuery } from "../consumers/sdk-query.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { percentiles, type Percentiles } from "../stats.js";

/** The consumers whose per-event latency is measured. */
const LATENCY_CONSUMERS = ["parse", "asm", "sdk"] as const;

/** One latency consumer. */
type LatencyConsumer = (typeof LATENCY_CONSUMERS)[number];

/** Latencies (ms) at one rate, per consumer. */
interface LatencyAtRate {
  /** Lines per second the fake wrote. */
  rate: number;
  /** Stamped lines written. */
  count: number;
  consumers: Record<LatencyConsumer, Percentiles>;
}

/** The latency benchmark's figures. */
export type LatencyReport = LatencyAtRate[];

// Same clock as the fake: wall-clock milliseconds with sub-millisecond resolution.
const wallMs = () => performance.timeOrigin + performance.now();

function stamp(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const sent = (value as Record<string, unknown>)["bench_sent_ms"];
  return typeof sent === "number" ? sent : undefined;
}

async function measure(consumer: LatencyConsumer, scenario: FakeScenario, asm: ReturnType<typeof createBenchAsm>): Promise<number[]> {
  const latencies: number[] = [];
  const note = (value: unknown) => {
    const sent = stamp(value);
    if (sent !== undefined) latencies.push(wallMs() - sent);
  };
  switch (consumer) {
    case "parse":
      await readlineParse(scenario, note);
      break;
    case "asm": {
      const result = await asmStream(asm, { cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario) }, (event) => {
        if (event.kind === "assistant_delta") note(event.raw);
      });
      if (result.status !== "completed") throw new AsmError("runtime", `ASM run ended ${result.status}`);
      break;
    }
    case "sdk":
      await sdkQuery(scenario, note);
      break;
  }
  return latencies;
}

/**
 * Latency: the fake writes `text_delta` lines at a fixed rate, each stamped with its wall-clock
 * write time; each consumer subtracts it from the time the line reaches it (a parsed line, an
 * `assistant_delta` event, an SDK message). The readline consumer is the floor.
 */
export async function benchLatency(preset: BenchPreset, log: (line: string) => void): Promise<LatencyReport> {
  const asm = createBenchAsm();
  const report: LatencyReport = [];
  try {
    // Warm-up so the measured runs do not pay for JIT compilation and the CLI version check.
    for (const consumer of LATENCY_CONSUMERS) await measure(consumer, { mode: "paced", count: preset.latency.warmup, rate: 10_000 }, asm);
    for (const { rate, count } of preset.latency.rates) {
      const scenario: FakeScenario = { mode: "paced", count, rate };
      const consumers = {} as Record<LatencyConsumer, Percentiles>;
      for (const consumer of LATENCY_CONSUMERS) {
        const latencies = await measure(consumer, scenario, asm);
        if (latencies.length !== count) throw new AsmError("runtime", `${consumer} received ${latencies.length} of ${count} stamped lines`);
        consumers[consumer] = percentiles(latencies);
      }
      log(
        `latency @ ${rate}/s: ` +
          LATENCY_CONSUMERS.map((c) => `${c} p50 ${consumers[c].p50.toFixed(3)} p99 ${consumers[c].p99.toFixed(3)} max ${consumers[c].max.toFixed(2)} ms`).join("; "),
      );
      report.push({ rate, count, consumers });
    }
  } finally {
    await asm.dispose();
  }
  return report;
}
