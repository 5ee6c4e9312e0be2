import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError } from "@asm/contract";
import { asmStream, createBenchAsm } from "../consumers/asm-stream.js";
import { drainPipe } from "../consumers/pipe-drain.js";
import { readlineParse } from "../consumers/readline-parse.js";
import { sdkQuery } from "../consumers/sdk-query.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import { ownCpuMs } from "../machine.js";
import type { BenchPreset } from "../presets.js";
import { median, ratio } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";
import { benchProviderThroughput, type ProviderThroughputSample } from "./provider-throughput.js";

/** The consumers measured on the same stream. */
const THROUGHPUT_VARIANTS = ["pipe", "parse", "asm", "sdk"] as const;

/** One consumer of the throughput stream. */
type ThroughputVariant = (typeof THROUGHPUT_VARIANTS)[number];

/** One consumer's figures (medians over the repeats). */
interface ThroughputSample {
  /** Wall time from spawn (or `stream()`/`query()`) to the end of the stream. */
  wallMs: number;
  /** Every repeat's wall time. */
  wallMsRuns: number[];
  /** Stream lines per second. */
  linesPerSecond: number;
  /** Stream megabytes (MiB) per second. */
  mbPerSecond: number;
  /** CPU time of the consuming process (the bench host) per run. */
  hostCpuMs: number;
  /** Items the consumer received: bytes (pipe), lines (parse), events (asm), messages (sdk). */
  items: number;
  /** Items per second: events/s for ASM, messages/s for the SDK. */
  itemsPerSecond: number;
}

/** The throughput benchmark's figures. */
export interface ThroughputReport {
  lines: number;
  bytes: number;
  mix: Record<string, number>;
  largeToolResults: number;
  repeats: number;
  variants: Record<ThroughputVariant, ThroughputSample>;
  /** Codex and Gemini: their recorded shapes through a fake CLI, ASM against readline + JSON.parse. */
  providers: ProviderThroughputSample[];
  ratios: {
    /** ASM lines/s ÷ readline+JSON.parse lines/s (goal ≥ 0.5). */
    asmToParse: number;
    /** ASM lines/s ÷ Claude Agent SDK lines/s (goal > 1). */
    asmToSdk: number;
    /** ASM lines/s ÷ pipe lines/s. */
    asmToPipe: number;
    /** readline+JSON.parse lines/s ÷ pipe lines/s. */
    parseToPipe: number;
    /** SDK lines/s ÷ readline+JSON.parse lines/s. */
    sdkToParse: number;
    /** readline+JSON.parse host CPU ÷ ASM host CPU (the CPU-time view of asmToParse; less sensitive to other load). */
    asmToParseByCpu: number;
    /** SDK host CPU ÷ ASM host CPU. */
    asmToSdkByCpu: number;
  };
}

async function runVariant(variant: ThroughputVariant, scenario: FakeScenario, asm: ReturnType<typeof createBenchAsm>): Promise<number> {
  switch (variant) {
    case "pipe":
      return (await drainPipe(scenario)).bytes;
    case "parse": {
      const result = await readlineParse(scenario);
      if (!result.sawResult) throw new AsmError("runtime", "readline consumer saw no result line");
      return result.lines;
    }
    case "asm": {
      const result = await asmStream(asm, { cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario) });
      if (result.status !== "completed") throw new AsmError("runtime", `ASM run ended ${result.status}`);
      return result.events;
    }
    case "sdk": {
      const result = await sdkQuery(scenario);
      if (!result.sawResult) throw new AsmError("runtime", "query() yielded no result message");
      return result.messages;
    }
  }
}

/**
 * Throughput: the fake writes the same prepared stream as fast as the pipe takes it, to each
 * consumer in turn (one warm-up round, then `repeats` rounds in rotating order); medians.
 */
export async function benchThroughput(preset: BenchPreset, log: (line: string) => void): Promise<ThroughputReport> {
  const set = buildLineSet({ lines: preset.throughput.lines });
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-"));
  const file = join(dir, "stream.jsonl");
  writeFileSync(file, set.text);
  const scenario: FakeScenario = { mode: "stream", file };
  const asm = createBenchAsm();
  const walls: Record<ThroughputVariant, number[]> = { pipe: [], parse: [], asm: [], sdk: [] };
  const cpus: Record<ThroughputVariant, number[]> = { pipe: [], parse: [], asm: [], sdk: [] };
  const items: Record<ThroughputVariant, number> = { pipe: 0, parse: 0, asm: 0, sdk: 0 };
  let providers: ProviderThroughputSample[] = [];
  try {
    log(`throughput: ${set.lines} lines, ${(set.bytes / 2 ** 20).toFixed(1)} MiB, ${preset.throughput.repeats} rounds`);
    for (const variant of THROUGHPUT_VARIANTS) await runVariant(variant, scenario, asm);
    for (let round = 0; round < preset.throughput.repeats; round += 1) {
      const order = THROUGHPUT_VARIANTS.map((_, i) => THROUGHPUT_VARIANTS[(i + round) % THROUGHPUT_VARIANTS.length] as ThroughputVariant);
      for (const variant of order) {
        const cpuBefore = ownCpuMs();
        const start = performance.now();
        items[variant] = await runVariant(variant, scenario, asm);
        walls[variant].push(performance.now() - start);
        cpus[variant].push(ownCpuMs() - cpuBefore);
      }
      log(`  round ${round + 1}: ${THROUGHPUT_VARIANTS.map((v) => `${v} ${(walls[v].at(-1) ?? 0).toFixed(0)} ms`).join(", ")}`);
    }
    providers = await benchProviderThroughput(preset.throughput.lines, Math.min(3, preset.throughput.repeats), dir, log);
  } finally {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const sample = (variant: ThroughputVariant): ThroughputSample => {
    const wallMs = median(walls[variant]);
    return {
      wallMs,
      wallMsRuns: walls[variant],
      linesPerSecond: (set.lines * 1000) / wallMs,
      mbPerSecond: (set.bytes / 2 ** 20) / (wallMs / 1000),
      hostCpuMs: median(cpus[variant]),
      items: items[variant],
      itemsPerSecond: (items[variant] * 1000) / wallMs,
    };
  };
  const variants = { pipe: sample("pipe"), parse: sample("parse"), asm: sample("asm"), sdk: sample("sdk") };
  return {
    lines: set.lines,
    bytes: set.bytes,
    mix: set.mix,
    largeToolResults: set.largeToolResults,
    repeats: preset.throughput.repeats,
    variants,
    providers,
    ratios: {
      asmToParse: ratio(variants.asm.linesPerSecond, variants.parse.linesPerSecond),
      asmToSdk: ratio(variants.asm.linesPerSecond, variants.sdk.linesPerSecond),
      asmToPipe: ratio(variants.asm.linesPerSecond, variants.pipe.linesPerSecond),
      parseToPipe: ratio(variants.parse.linesPerSecond, variants.pipe.linesPerSecond),
      sdkToParse: ratio(variants.sdk.linesPerSecond, variants.parse.linesPerSecond),
      asmToParseByCpu: ratio(variants.parse.hostCpuMs, variants.asm.hostCpuMs),
      asmToSdkByCpu: ratio(variants.sdk.hostCpuMs, variants.asm.hostCpuMs),
    },
  };
}
