import { AsmError } from "@asm/contract";
import type { Session } from "@asm/core";
import { createBenchAsm, sessionOptions } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_MINIMAL_PATH } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { slope } from "../stats.js";

/** One memory sample taken during the sequential runs. */
interface MemorySample {
  /** Runs finished when the sample was taken. */
  runs: number;
  /** Resident set size (bytes). */
  rss: number;
  /** V8 heap used after a full GC (bytes). */
  heapUsed: number;
}

/** The memory benchmark's figures. */
export interface MemoryReport {
  idleSessions: number;
  /** Heap (after GC) per idle session, bytes (goal < 20 KB). */
  heapPerIdleSessionBytes: number;
  /** Heap left after the idle sessions were stopped, relative to before they started (bytes). */
  heapAfterStopBytes: number;
  sequentialRuns: number;
  runsPerSession: number;
  /** Wall time per sequential run (ms), including session start and stop. */
  msPerRun: number;
  samples: MemorySample[];
  /** RSS slope over the last half of the runs (bytes per run). */
  rssSlopeLastHalfBytesPerRun: number;
  /** Heap-after-GC slope over the last half of the runs (bytes per run; goal: no growth trend). */
  heapSlopeLastHalfBytesPerRun: number;
  /** RSS growth from the first to the last sample (bytes). */
  rssGrowthBytes: number;
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new AsmError("config_invalid", "the memory benchmark needs node --expose-gc");
  gc();
  gc();
}

function heapUsed(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

async function idleSessions(count: number): Promise<{ perSession: number; afterStop: number }> {
  const asm = createBenchAsm();
  const options = sessionOptions({ cliPath: FAKE_CLAUDE_MINIMAL_PATH });
  // One session first, so lazily built runtime state is not charged to the thousand.
  await asm.stopSession(await asm.startSession(options));
  const before = heapUsed();
  const sessions: Session[] = [];
  for (let i = 0; i < count; i += 1) sessions.push(await asm.startSession(options));
  const during = heapUsed();
  await Promise.all(sessions.map((session) => asm.stopSession(session)));
  sessions.length = 0;
  const after = heapUsed();
  await asm.dispose();
  return { perSession: (during - before) / count, afterStop: after - before };
}

/**
 * Memory: heap per idle session (`startSession` × N, no run), then RSS and heap-after-GC sampled
 * over many sequential runs of the shell fake (`runsPerSession` runs per session, sessions
 * started and stopped as they go), with the slope over the last half.
 */
export async function benchMemory(preset: BenchPreset, log: (line: string) => void): Promise<MemoryReport> {
  const { idleSessions: count, sequentialRuns, runsPerSession, samples: sampleCount } = preset.memory;
  const idle = await idleSessions(count);
  log(`memory: ${count} idle sessions, ${(idle.perSession / 1024).toFixed(2)} KiB heap each`);

  const asm = createBenchAsm();
  const options = sessionOptions({ cliPath: FAKE_CLAUDE_MINIMAL_PATH });
  const every = Math.max(1, Math.floor(sequentialRuns / sampleCount));
  const samples: MemorySample[] = [];
  let session: Session | undefined;
  const start = performance.now();
  try {
    for (let run = 0; run < sequentialRuns; run += 1) {
      if (run % runsPerSession === 0) {
        if (session) await asm.stopSession(session);
        session = await asm.startSession(options);
      }
      if (run % every === 0) samples.push({ runs: run, heapUsed: heapUsed(), rss: process.memoryUsage().rss });
      const result = await (session as Session).stream("Run the benchmark").result();
      if (result.status !== "completed") throw new AsmError("runtime", `run ${run} ended ${result.status}`);
    }
    if (session) await asm.stopSession(session);
    session = undefined;
    samples.push({ runs: sequentialRuns, heapUsed: heapUsed(), rss: process.memoryUsage().rss });
  } finally {
    await asm.dispose();
  }
  const elapsed = performance.now() - start;
  const lastHalf = samples.filter((sample) => sample.runs >= sequentialRuns / 2);
  const report: MemoryReport = {
    idleSessions: count,
    heapPerIdleSessionBytes: idle.perSession,
    heapAfterStopBytes: idle.afterStop,
    sequentialRuns,
    runsPerSession,
    msPerRun: elapsed / sequentialRuns,
    samples,
    rssSlopeLastHalfBytesPerRun: slope(lastHalf.map((s) => ({ x: s.runs, y: s.rss }))),
    heapSlopeLastHalfBytesPerRun: slope(lastHalf.map((s) => ({ x: s.runs, y: s.heapUsed }))),
    rssGrowthBytes: (samples.at(-1)?.rss ?? Number.NaN) - (samples[0]?.rss ?? Number.NaN),
  };
  log(
    `memory: ${sequentialRuns} runs, ${report.msPerRun.toFixed(1)} ms each; last-half slope RSS ${report.rssSlopeLastHalfBytesPerRun.toFixed(1)} B/run, ` +
      `heap ${report.heapSlopeLastHalfBytesPerRun.toFixed(1)} B/run`,
  );
  return report;
}
