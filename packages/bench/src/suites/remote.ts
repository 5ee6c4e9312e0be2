import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { claude } from "@asm/claude";
import { AsmError } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { createRemoteClient } from "@asm/remote";
import { natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { asmStream } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { median, percentiles, ratio, type Percentiles } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";

const NODE_PROCESS = fileURLToPath(new URL("../fake/remote-node-process.ts", import.meta.url));

/** Throughput (median events/s over the repeats) and paced per-event latency of one placement. */
interface RemoteSample {
  eventsPerSecond: number;
  eventsPerSecondRuns: number[];
  /** CLI write → `assistant_delta` at the client (ms). */
  latency: Percentiles;
}

/** The remote-node benchmark's figures. */
export interface RemoteReport {
  lines: number;
  repeats: number;
  /** Paced latency run: lines per second and count. */
  rate: number;
  count: number;
  /** False when nats-server is not installed (the figures are then NaN). */
  measured: boolean;
  kernel: RemoteSample;
  remote: RemoteSample;
  /** Events/s through the node ÷ the kernel alone. */
  remoteToKernel: number;
}

const wallMs = () => performance.timeOrigin + performance.now();
const NOT_MEASURED: RemoteSample = { eventsPerSecond: Number.NaN, eventsPerSecondRuns: [], latency: { p50: Number.NaN, p99: Number.NaN, max: Number.NaN, count: 0 } };

async function startNode(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=@asm/source", "--import", "tsx", NODE_PROCESS, url, "bench"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new AsmError("runtime", `the bench node exited with ${String(code)}`)));
  });
  return child;
}

async function throughput(asm: Asm, scenario: FakeScenario, extra: Record<string, unknown>): Promise<number> {
  const start = performance.now();
  const result = await asmStream(asm, { cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario) }, undefined, extra);
  if (result.status !== "completed") throw new AsmError("runtime", `run ended ${result.status}`);
  return result.events / ((performance.now() - start) / 1000);
}

async function latency(asm: Asm, scenario: FakeScenario, extra: Record<string, unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const result = await asmStream(
    asm,
    { cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario) },
    (event) => {
      if (event.kind !== "assistant_delta") return;
      const sent = (event.raw as Record<string, unknown> | null)?.["bench_sent_ms"];
      if (typeof sent === "number") latencies.push(wallMs() - sent);
    },
    extra,
  );
  if (result.status !== "completed") throw new AsmError("runtime", `run ended ${result.status}`);
  return latencies;
}

/**
 * Remote: the throughput stream and the paced latency stream through the kernel locally, and
 * through a node in another process over a private nats-server on loopback (the same fake CLI,
 * the same kernel in this process); rounds alternate, medians.
 */
export async function benchRemote(preset: BenchPreset, log: (line: string) => void): Promise<RemoteReport> {
  const { lines, repeats, rate, count } = preset.remote;
  const base = { lines, repeats, rate, count };
  if (!natsServerInstalled()) {
    log("remote: nats-server is not installed; skipped");
    return { ...base, measured: false, kernel: NOT_MEASURED, remote: NOT_MEASURED, remoteToKernel: Number.NaN };
  }
  const set = buildLineSet({ lines });
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-remote-"));
  const file = join(dir, "stream.jsonl");
  writeFileSync(file, set.text);
  let nats: PrivateNatsServer | null = null;
  let node: ChildProcess | null = null;
  const client = { remote: null as ReturnType<typeof createRemoteClient> | null };
  try {
    nats = await startPrivateNatsServer();
    node = await startNode(nats.url);
    client.remote = createRemoteClient({ nats: { servers: nats.url } });
    const asm = createAsm({ providers: [claude()], config: { remoteBackend: client.remote.remoteBackend } });
    const placements = { kernel: {}, remote: { executionMode: "remote_node", remote: { node: "bench" } } } as const;
    const rates: Record<"kernel" | "remote", number[]> = { kernel: [], remote: [] };
    const lat: Record<"kernel" | "remote", number[]> = { kernel: [], remote: [] };
    try {
      // Warm-up: JIT, the connection, the node's first spawn.
      for (const extra of Object.values(placements)) await latency(asm, { mode: "paced", count: 200, rate: 10_000 }, extra);
      for (let round = 0; round < repeats; round += 1) {
        for (const key of round % 2 === 0 ? (["kernel", "remote"] as const) : (["remote", "kernel"] as const)) {
          rates[key].push(await throughput(asm, { mode: "stream", file }, placements[key]));
        }
      }
      for (const key of ["kernel", "remote"] as const) {
        const measured = await latency(asm, { mode: "paced", count, rate }, placements[key]);
        if (measured.length !== count) throw new AsmError("runtime", `${key} received ${measured.length} of ${count} stamped lines`);
        lat[key] = measured;
      }
    } finally {
      await asm.dispose();
    }
    const sample = (key: "kernel" | "remote"): RemoteSample => ({ eventsPerSecond: median(rates[key]), eventsPerSecondRuns: rates[key], latency: percentiles(lat[key]) });
    const report: RemoteReport = { ...base, measured: true, kernel: sample("kernel"), remote: sample("remote"), remoteToKernel: ratio(median(rates.remote), median(rates.kernel)) };
    log(
      `remote: kernel ${report.kernel.eventsPerSecond.toFixed(0)} ev/s, through a node ${report.remote.eventsPerSecond.toFixed(0)} ev/s (${report.remoteToKernel.toFixed(2)}×); ` +
        `latency @ ${rate}/s p50/p99 kernel ${report.kernel.latency.p50.toFixed(3)}/${report.kernel.latency.p99.toFixed(3)} ms, node ${report.remote.latency.p50.toFixed(3)}/${report.remote.latency.p99.toFixed(3)} ms`,
    );
    return report;
  } finally {
    await client.remote?.close();
    node?.kill("SIGTERM");
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
