import type { MachineInfo } from "../machine.js";
import type { ConcurrencyReport } from "../suites/concurrency.js";
import type { EndpointReport } from "../suites/endpoint.js";
import type { ExtensionsReport } from "../suites/extensions.js";
import type { LatencyReport } from "../suites/latency.js";
import type { MemoryReport } from "../suites/memory.js";
import type { ParsersReport } from "../suites/parsers.js";
import type { PubSubReport } from "../suites/pubsub.js";
import type { PersistenceReport } from "../suites/persistence.js";
import type { RemoteReport } from "../suites/remote.js";
import type { SdkLaneReport } from "../suites/sdk.js";
import type { SpawnReport } from "../suites/spawn.js";
import type { ThroughputReport } from "../suites/throughput.js";

/** One goal and whether this run met it. */
export interface GoalCheck {
  name: string;
  /** The goal in words (`≥ 0.5`). */
  target: string;
  value: number;
  unit: string;
  met: boolean;
}

/** Everything one `pnpm bench` measured, as written to the JSON file. */
export interface BenchReport {
  version: 1;
  preset: string;
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  /** Load averages when the benchmark ended (other work on the machine skews every figure). */
  loadAverageAtEnd: number[];
  throughput?: ThroughputReport;
  parsers?: ParsersReport;
  latency?: LatencyReport;
  spawn?: SpawnReport;
  memory?: MemoryReport;
  concurrency?: ConcurrencyReport;
  endpoint?: EndpointReport;
  extensions?: ExtensionsReport;
  pubsub?: PubSubReport;
  persistence?: PersistenceReport;
  remote?: RemoteReport;
  /** ASM's Claude SDK lane over a bare `query()` of the Claude Agent SDK. */
  sdk?: SdkLaneReport;
  goals: GoalCheck[];
}

/** The sections a run can include. */
export const BENCH_SECTIONS = ["throughput", "parsers", "latency", "spawn", "memory", "concurrency", "endpoint", "extensions", "pubsub", "persistence", "remote", "sdk"] as const;

/** One section of the benchmark. */
export type BenchSection = (typeof BENCH_SECTIONS)[number];
