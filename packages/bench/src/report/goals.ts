import type { BenchReport, GoalCheck } from "./bench-report.js";

/** Heap growth per run above which the sequential runs count as leaking. */
const HEAP_SLOPE_LIMIT_BYTES_PER_RUN = 64;

/**
 * Fewer sequential runs than this say nothing about a leak: the heap still grows with V8's
 * compiled code for the first few thousand runs, so the slope goal is only checked past it.
 */
const MIN_RUNS_FOR_SLOPE_GOAL = 5_000;

/** Checks the report's figures against the project's goals (only for the sections that ran). */
export function checkGoals(report: Omit<BenchReport, "goals">): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const { throughput, latency, spawn, memory, endpoint, pubsub, persistence } = report;
  if (throughput) {
    goals.push({ name: "throughput: ASM ÷ readline+JSON.parse", target: "≥ 1", value: throughput.ratios.asmToParse, unit: "×", met: throughput.ratios.asmToParse >= 1 });
    goals.push({ name: "throughput: ASM ÷ Claude Agent SDK", target: "≥ 1.5", value: throughput.ratios.asmToSdk, unit: "×", met: throughput.ratios.asmToSdk >= 1.5 });
    goals.push({ name: "throughput by host CPU/line: ASM ÷ readline+JSON.parse", target: "≥ 1", value: throughput.ratios.asmToParseByCpu, unit: "×", met: throughput.ratios.asmToParseByCpu >= 1 });
    goals.push({ name: "throughput by host CPU/line: ASM ÷ Claude Agent SDK", target: "≥ 1.5", value: throughput.ratios.asmToSdkByCpu, unit: "×", met: throughput.ratios.asmToSdkByCpu >= 1.5 });
    for (const sample of throughput.providers) {
      goals.push({ name: `throughput: ${sample.provider} stream, ASM ÷ readline+JSON.parse`, target: "≥ 1", value: sample.asmToParse, unit: "×", met: sample.asmToParse >= 1 });
      goals.push({ name: `throughput by host CPU/line: ${sample.provider} stream, ASM ÷ readline+JSON.parse`, target: "≥ 1", value: sample.asmToParseByCpu, unit: "×", met: sample.asmToParseByCpu >= 1 });
    }
  }
  const fastest = latency?.find((entry) => entry.rate === 10_000);
  if (fastest) {
    // `p99` is the median of the rounds' p99s.
    goals.push({ name: "latency: ASM p99 at 10k events/s", target: "< 1 ms", value: fastest.consumers.asm.p99, unit: "ms", met: fastest.consumers.asm.p99 < 1 });
    // Paired within each round, then the median: the noise a round's two runs shared cancels.
    const toFloor = fastest.asmToFloorP99;
    goals.push({ name: "latency: ASM p99 ÷ readline floor p99 at 10k events/s", target: "≤ 1.2", value: toFloor, unit: "×", met: toFloor <= 1.2 });
  }
  const shell = spawn?.find((sample) => sample.fake === "shell");
  if (shell) {
    goals.push({ name: "spawn: ASM overhead (median)", target: "< 5 ms", value: shell.asmOverheadMs, unit: "ms", met: shell.asmOverheadMs < 5 });
  }
  if (memory) {
    const kib = memory.heapPerIdleSessionBytes / 1024;
    goals.push({ name: "memory: heap per idle session", target: "< 20 KiB", value: kib, unit: "KiB", met: kib < 20 });
    if (memory.sequentialRuns >= MIN_RUNS_FOR_SLOPE_GOAL) goals.push({
      name: "memory: heap slope, last half of runs",
      target: `< ${HEAP_SLOPE_LIMIT_BYTES_PER_RUN} B/run`,
      value: memory.heapSlopeLastHalfBytesPerRun,
      unit: "B/run",
      met: memory.heapSlopeLastHalfBytesPerRun < HEAP_SLOPE_LIMIT_BYTES_PER_RUN,
    });
  }
  if (endpoint) {
    goals.push({ name: "endpoint: added latency, plain request (median)", target: "< 2 ms", value: endpoint.plain.addedMedianMs, unit: "ms", met: endpoint.plain.addedMedianMs < 2 });
    goals.push({ name: "endpoint: added latency, in-process backend (median)", target: "< 2 ms", value: endpoint.inProcess.addedMedianMs, unit: "ms", met: endpoint.inProcess.addedMedianMs < 2 });
  }
  if (pubsub) {
    goals.push({ name: "pubsub: local bus ÷ kernel alone", target: "≥ 0.8", value: pubsub.ratios.localToKernel, unit: "×", met: pubsub.ratios.localToKernel >= 0.8 });
    if (pubsub.natsMeasured) {
      goals.push({ name: "pubsub: NATS ÷ kernel alone", target: "≥ 0.8", value: pubsub.ratios.natsToKernel, unit: "×", met: pubsub.ratios.natsToKernel >= 0.8 });
    }
  }
  if (persistence) {
    goals.push({ name: "persistence: kernel+SQLite ÷ kernel alone", target: "≥ 0.8", value: persistence.sqliteToKernel, unit: "×", met: persistence.sqliteToKernel >= 0.8 });
  }
  if (report.remote?.measured === true) {
    // The NATS prototype's 169k events/s was raw lines without a kernel; against the kernel in the
    // same run the comparable goal is 0.8× of the local figure.
    goals.push({ name: "remote: through a node ÷ local kernel", target: "≥ 0.8", value: report.remote.remoteToKernel, unit: "×", met: report.remote.remoteToKernel >= 0.8 });
    goals.push({ name: "remote: per-event latency through a node (p99)", target: "< 3 ms", value: report.remote.remote.latency.p99, unit: "ms", met: report.remote.remote.latency.p99 < 3 });
  }
  if (report.sdk) {
    goals.push({ name: "sdk: Claude SDK lane CPU/line over bare query()", target: "< 10%", value: report.sdk.cpuOverhead * 100, unit: "%", met: report.sdk.cpuOverhead < 0.1 });
  }
  return goals;
}
