import { performance } from "node:perf_hooks";
import { AsmError } from "@asm/contract";
import { asmStream, createBenchAsm } from "../consumers/asm-stream.js";
import { readlineParse } from "../consumers/readline-parse.js";
import { sdkQuery } from "../consumers/sdk-query.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { percentiles } from "../stats.js";
import { aggregateRounds, consumerOrder, LATENCY_CONSUMERS, type LatencyConsumer, type LatencyRound, type RoundedPercentiles } from "./latency-rounds.js";

/** Latencies (ms) at one rate, per consumer, aggregated over interleaved rounds. */
interface LatencyAtRate {
  /** Lines per second the fake wrote. */
  rate: number;
  /** Stamped lines written per round. */
  count: number;
  /** Rounds run at this rate, each consumer once per round. */
  rounds: number;
  /** Median p50 and p99, the p99 range and the largest max over the rounds. */
  consumers: Record<LatencyConsumer, RoundedPercentiles>;
  /** Median over rounds of ASM p99 ÷ readline floor p99 within the same round. */
  asmToFloorP99: number;
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

const ms = (value: number, digits = 3) => value.toFixed(digits);

/** One rate's log line: median p50/p99, the p99 range over the rounds and the largest max, per consumer. */
function summary(entry: LatencyAtRate): string {
  const consumers = LATENCY_CONSUMERS.map((c) => {
    const p = entry.consumers[c];
    return `${c} p50 ${ms(p.p50)} p99 ${ms(p.p99)} (${ms(p.p99Min)}–${ms(p.p99Max)}) max ${ms(p.max, 2)} ms`;
  });
  return `latency @ ${entry.rate}/s, median of ${entry.rounds} round${entry.rounds === 1 ? "" : "s"}: ${consumers.join("; ")}; asm p99 ÷ parse p99 ${entry.asmToFloorP99.toFixed(2)} × (paired)`;
}

/**
 * Latency: the fake writes `text_delta` lines at a fixed rate, each stamped with its wall-clock
 * write time; each consumer subtracts it from the time the line reaches it (a parsed line, an
 * `assistant_delta` event, an SDK message). The readline consumer is the floor.
 *
 * A single window's tail follows the machine more than the consumer, so each rate runs
 * `preset.latency.rounds` rounds of every consumer, in an order rotated each round, and reports
 * medians over the rounds; the ASM ÷ floor ratio is taken within each round before its median.
 */
export async function benchLatency(preset: BenchPreset, log: (line: string) => void): Promise<LatencyReport> {
  const asm = createBenchAsm();
  const report: LatencyReport = [];
  try {
    // Warm-up so the measured runs do not pay for JIT compilation and the CLI version check.
    for (const consumer of LATENCY_CONSUMERS) await measure(consumer, { mode: "paced", count: preset.latency.warmup, rate: 10_000 }, asm);
    for (const { rate, count } of preset.latency.rates) {
      const scenario: FakeScenario = { mode: "paced", count, rate };
      const rounds: LatencyRound[] = [];
      for (let round = 0; round < preset.latency.rounds; round++) {
        const figures = {} as LatencyRound;
        for (const consumer of consumerOrder(round)) {
          const latencies = await measure(consumer, scenario, asm);
          if (latencies.length !== count) throw new AsmError("runtime", `${consumer} received ${latencies.length} of ${count} stamped lines in round ${round + 1}`);
          figures[consumer] = percentiles(latencies);
        }
        rounds.push(figures);
      }
      const entry: LatencyAtRate = { rate, count, ...aggregateRounds(rounds) };
      log(summary(entry));
      report.push(entry);
    }
  } finally {
    await asm.dispose();
  }
  return report;
}
