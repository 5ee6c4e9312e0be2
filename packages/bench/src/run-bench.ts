import { loadAverage, machineInfo } from "./machine.js";
import type { BenchPreset } from "./presets.js";
import { BENCH_SECTIONS, type BenchReport, type BenchSection } from "./report/bench-report.js";
import { checkGoals } from "./report/goals.js";
import { benchConcurrency } from "./suites/concurrency.js";
import { benchEndpoint } from "./suites/endpoint.js";
import { benchSdkLane } from "./suites/sdk.js";
import { benchExtensions } from "./suites/extensions.js";
import { benchLatency } from "./suites/latency.js";
import { benchMemory } from "./suites/memory.js";
import { benchParsers } from "./suites/parsers.js";
import { benchPubSub } from "./suites/pubsub.js";
import { benchRemote } from "./suites/remote.js";
import { benchPersistence } from "./suites/persistence.js";
import { benchSpawn } from "./suites/spawn.js";
import { benchThroughput } from "./suites/throughput.js";

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  preset: BenchPreset;
  /** Sections to run (default: all). */
  sections?: readonly BenchSection[];
  /** Progress lines. */
  log?: (line: string) => void;
}

/**
 * Runs the benchmark sections in order (throughput, parsers, latency, spawn, memory, concurrency, endpoint, extensions, pubsub, persistence), all in
 * this process on this machine, and returns every figure with the goals checked.
 */
export async function runBench(options: RunBenchOptions): Promise<BenchReport> {
  const { preset } = options;
  const log = options.log ?? (() => undefined);
  const sections = new Set(options.sections ?? BENCH_SECTIONS);
  const startedAt = new Date();
  const start = performance.now();
  const report: Omit<BenchReport, "goals" | "durationSeconds" | "loadAverageAtEnd"> = {
    version: 1,
    preset: preset.name,
    startedAt: startedAt.toISOString(),
    machine: machineInfo(),
  };
  if (sections.has("throughput")) report.throughput = await benchThroughput(preset, log);
  if (sections.has("parsers")) report.parsers = await benchParsers(preset, log);
  if (sections.has("latency")) report.latency = await benchLatency(preset, log);
  if (sections.has("spawn")) report.spawn = await benchSpawn(preset, log);
  if (sections.has("memory")) report.memory = await benchMemory(preset, log);
  if (sections.has("concurrency")) report.concurrency = await benchConcurrency(preset, log);
  if (sections.has("endpoint")) report.endpoint = await benchEndpoint(preset, log);
  if (sections.has("extensions")) report.extensions = await benchExtensions(preset, log);
  if (sections.has("pubsub")) report.pubsub = await benchPubSub(preset, log);
  if (sections.has("persistence")) report.persistence = await benchPersistence(preset, log);
  if (sections.has("remote")) report.remote = await benchRemote(preset, log);
  if (sections.has("sdk")) report.sdk = await benchSdkLane(preset, log);
  const finished = { ...report, durationSeconds: (performance.now() - start) / 1000, loadAverageAtEnd: loadAverage() };
  return { ...finished, goals: checkGoals(finished) };
}
