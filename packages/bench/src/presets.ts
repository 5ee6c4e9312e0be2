/** How big each benchmark is. */
export interface BenchPreset {
  name: "full" | "quick" | "tiny";
  throughput: { lines: number; repeats: number };
  /**
   * `warmup` stamped lines at 10k/s per consumer before measuring (JIT), then each rate for
   * `rounds` rounds of every consumer, in an order rotated each round: one window's p99 follows
   * the machine's noise, so the report takes medians over the rounds.
   */
  latency: { warmup: number; rounds: number; rates: Array<{ rate: number; count: number }> };
  /** Interleaved spawn measurements per fake: the shell fake, and the Node fake (slower to start). */
  spawn: { iterations: number; nodeIterations: number };
  memory: { idleSessions: number; sequentialRuns: number; runsPerSession: number; samples: number };
  concurrency: { runs: number; lines: number; calibrationRuns: number };
  /** Paired requests each way (plain and streamed), then `concurrentRequests` at `clients` at once. */
  endpoint: { requests: number; clients: number; concurrentRequests: number };
  /** In-process runs of `events` events per variant (bare kernel, policy plug, router). */
  extensions: { events: number; runs: number };
  /** The throughput stream through the kernel alone and with each pub/sub adapter. */
  pubsub: { lines: number; repeats: number };
  /** The throughput stream and a paced stream through the kernel locally and through a remote node. */
  remote: { lines: number; repeats: number; rate: number; count: number };
  /** Events per run through each event store, and interleaved repeats. */
  persistence: { events: number; repeats: number };
}

/** The full benchmark (about nine minutes on two cores): the figures in `docs/benchmarks.md`. */
export const FULL: BenchPreset = {
  name: "full",
  throughput: { lines: 200_000, repeats: 5 },
  latency: { warmup: 5_000, rounds: 5, rates: [{ rate: 1_000, count: 10_000 }, { rate: 10_000, count: 50_000 }] },
  spawn: { iterations: 50, nodeIterations: 20 },
  memory: { idleSessions: 1_000, sequentialRuns: 10_000, runsPerSession: 100, samples: 40 },
  concurrency: { runs: 100, lines: 1_000, calibrationRuns: 10 },
  endpoint: { requests: 200, clients: 16, concurrentRequests: 320 },
  extensions: { events: 20_000, runs: 15 },
  pubsub: { lines: 20_000, repeats: 3 },
  remote: { lines: 20_000, repeats: 3, rate: 1_000, count: 2_000 },
  persistence: { events: 100_000, repeats: 3 },
};

/** `--quick`: the same figures on smaller inputs, in under a minute; a smoke check, not a measurement to quote. */
export const QUICK: BenchPreset = {
  name: "quick",
  throughput: { lines: 20_000, repeats: 2 },
  latency: { warmup: 3_000, rounds: 2, rates: [{ rate: 1_000, count: 1_000 }, { rate: 10_000, count: 5_000 }] },
  spawn: { iterations: 10, nodeIterations: 4 },
  memory: { idleSessions: 1_000, sequentialRuns: 200, runsPerSession: 50, samples: 10 },
  concurrency: { runs: 30, lines: 200, calibrationRuns: 3 },
  endpoint: { requests: 40, clients: 16, concurrentRequests: 64 },
  extensions: { events: 5_000, runs: 5 },
  pubsub: { lines: 10_000, repeats: 2 },
  remote: { lines: 10_000, repeats: 2, rate: 1_000, count: 1_000 },
  persistence: { events: 20_000, repeats: 2 },
};

/** `--tiny`: the smallest inputs that still produce every figure (the package's own test). */
export const TINY: BenchPreset = {
  name: "tiny",
  throughput: { lines: 2_000, repeats: 1 },
  latency: { warmup: 100, rounds: 1, rates: [{ rate: 1_000, count: 100 }, { rate: 10_000, count: 300 }] },
  spawn: { iterations: 2, nodeIterations: 2 },
  memory: { idleSessions: 50, sequentialRuns: 16, runsPerSession: 4, samples: 4 },
  concurrency: { runs: 4, lines: 100, calibrationRuns: 2 },
  endpoint: { requests: 4, clients: 16, concurrentRequests: 16 },
  extensions: { events: 200, runs: 2 },
  pubsub: { lines: 1_000, repeats: 1 },
  remote: { lines: 1_000, repeats: 1, rate: 1_000, count: 100 },
  persistence: { events: 500, repeats: 1 },
};
