import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError } from "@asm/contract";
import type { Asm, Session } from "@asm/core";
import { createBenchAsm, sessionOptions } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_PATH, fakeEnv } from "../fake/fake-claude.js";
import { childrenCpuMs, ownCpuMs } from "../machine.js";
import type { BenchPreset } from "../presets.js";
import { median, ratio } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";

/** The concurrency benchmark's figures. */
export interface ConcurrencyReport {
  runs: number;
  /** Lines each run streams. */
  linesPerRun: number;
  cores: number;
  /** Median wall time of one run alone (sequential calibration). */
  singleRunMs: number;
  /** CPU per run alone: the host's plus the fake CLI's (ms). */
  cpuPerRunMs: number;
  /** Of which the host (ASM). */
  hostCpuPerRunMs: number;
  /** Wall time of all runs at once (100 sessions, one run each). */
  concurrentWallMs: number;
  /** CPU used during the concurrent phase, host plus children (ms). */
  concurrentCpuMs: number;
  /** singleRunMs × runs ÷ cores. */
  idealFromWallMs: number;
  /** cpuPerRunMs × runs ÷ cores: the best two cores can do. */
  idealFromCpuMs: number;
  /** idealFromCpuMs ÷ concurrentWallMs (1 = perfect). */
  efficiency: number;
  /** concurrentCpuMs ÷ (cpuPerRunMs × runs): CPU paid for running them together (1 = none). */
  cpuInflation: number;
}

async function oneRun(session: Session): Promise<void> {
  const result = await session.stream("Run the benchmark").result();
  if (result.status !== "completed") throw new AsmError("runtime", `run ended ${result.status}`);
}

async function sessions(asm: Asm, count: number, options: Record<string, unknown> & { provider: string }): Promise<Session[]> {
  const list: Session[] = [];
  for (let i = 0; i < count; i += 1) list.push(await asm.startSession(options));
  return list;
}

/**
 * Concurrency: each run streams a small realistic turn from the Node fake. First `calibrationRuns`
 * runs one at a time (wall and CPU per run, host and child), then `runs` sessions each start one
 * run at the same moment.
 */
export async function benchConcurrency(preset: BenchPreset, log: (line: string) => void): Promise<ConcurrencyReport> {
  const { runs, lines, calibrationRuns } = preset.concurrency;
  const set = buildLineSet({ lines, largeToolResults: 0 });
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-"));
  const file = join(dir, "turn.jsonl");
  writeFileSync(file, set.text);
  const options = sessionOptions({ cliPath: FAKE_CLAUDE_PATH, env: fakeEnv({ mode: "stream", file }) });
  const asm = createBenchAsm();
  const cores = availableParallelism();
  try {
    const [warm] = await sessions(asm, 1, options);
    await oneRun(warm as Session);
    const walls: number[] = [];
    const calibration = await sessions(asm, calibrationRuns, options);
    const cpuStart = ownCpuMs();
    const childStart = childrenCpuMs();
    for (const session of calibration) {
      const start = performance.now();
      await oneRun(session);
      walls.push(performance.now() - start);
    }
    const hostCpuPerRunMs = (ownCpuMs() - cpuStart) / calibrationRuns;
    const cpuPerRunMs = hostCpuPerRunMs + (childrenCpuMs() - childStart) / calibrationRuns;
    const singleRunMs = median(walls);

    const concurrent = await sessions(asm, runs, options);
    const hostBefore = ownCpuMs();
    const childBefore = childrenCpuMs();
    const start = performance.now();
    await Promise.all(concurrent.map((session) => oneRun(session)));
    const concurrentWallMs = performance.now() - start;
    const concurrentCpuMs = ownCpuMs() - hostBefore + (childrenCpuMs() - childBefore);
    const idealFromCpuMs = (cpuPerRunMs * runs) / cores;
    const report: ConcurrencyReport = {
      runs,
      linesPerRun: set.lines,
      cores,
      singleRunMs,
      cpuPerRunMs,
      hostCpuPerRunMs,
      concurrentWallMs,
      concurrentCpuMs,
      idealFromWallMs: (singleRunMs * runs) / cores,
      idealFromCpuMs,
      efficiency: ratio(idealFromCpuMs, concurrentWallMs),
      cpuInflation: ratio(concurrentCpuMs, cpuPerRunMs * runs),
    };
    log(
      `concurrency: ${runs} runs in ${concurrentWallMs.toFixed(0)} ms; one run ${singleRunMs.toFixed(1)} ms, ${cpuPerRunMs.toFixed(1)} ms CPU ` +
        `(ideal ${idealFromCpuMs.toFixed(0)} ms, efficiency ${report.efficiency.toFixed(2)})`,
    );
    return report;
  } finally {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
