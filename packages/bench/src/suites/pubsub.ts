import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError } from "@asm/contract";
import type { Asm } from "@asm/core";
import { broadcasterPlug, createBroadcaster, localBus, natsAdapter, phoenixAdapter, type PubSubAdapter } from "@asm/pubsub";
import { natsServerInstalled, startPhoenixServer, startPrivateNatsServer, type PhoenixTestServer, type PrivateNatsServer } from "@asm/testkit";
import { createBenchAsm, sessionOptions } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { median, ratio } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";

/** The kernel alone, then the kernel publishing every event through each adapter. */
const PUBSUB_VARIANTS = ["kernel", "local", "nats", "phoenix"] as const;

type PubSubVariant = (typeof PUBSUB_VARIANTS)[number];

/** One variant's figures (medians over the repeats). */
interface PubSubSample {
  /** From `stream()` until the run ended and the broadcaster flushed (every event handed to the adapter). */
  wallMs: number;
  wallMsRuns: number[];
  events: number;
  eventsPerSecond: number;
  /** Events a subscriber of `asm:events` received in the last round (kernel: 0, nothing published; NATS: counted undecoded). */
  delivered: number;
  dropped: number;
  errors: number;
}

/** The pub/sub benchmark's figures. */
export interface PubSubReport {
  lines: number;
  repeats: number;
  /** False when nats-server is not installed (the NATS figures are then NaN). */
  natsMeasured: boolean;
  variants: Record<PubSubVariant, PubSubSample>;
  ratios: {
    /** Events/s with the local bus ÷ the kernel alone (goal ≥ 0.8). */
    localToKernel: number;
    /** Events/s with NATS ÷ the kernel alone (goal ≥ 0.8). */
    natsToKernel: number;
    /** Events/s with Phoenix Channels ÷ the kernel alone (the test server runs in this process too). */
    phoenixToKernel: number;
  };
}

interface Rig {
  publisher: PubSubAdapter | null;
  subscriber: PubSubAdapter | null;
  received: { count: number };
}

async function oneRun(asm: Asm, scenario: FakeScenario, rig: Rig, events: number): Promise<{ ms: number; events: number; dropped: number; errors: number }> {
  const broadcaster = rig.publisher ? createBroadcaster({ adapter: rig.publisher, maxQueueSize: Math.max(events * 2, 2048) }) : null;
  const session = await asm.startSession(sessionOptions({ cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario) }));
  let count = 0;
  const start = performance.now();
  try {
    for await (const event of session.stream("Run the benchmark", broadcaster ? { pipeline: [broadcasterPlug(broadcaster)] } : {})) {
      count += 1;
      if (event.kind === "run_completed" && event.payload.status !== "completed") throw new AsmError("runtime", `run ended ${event.payload.status}`);
    }
    if (broadcaster && !(await broadcaster.flush(60_000))) throw new AsmError("timeout", "the broadcaster did not flush within 60 s");
  } finally {
    await asm.stopSession(session);
  }
  const ms = performance.now() - start;
  const stats = broadcaster?.stats();
  return { ms, events: count, dropped: stats?.dropped ?? 0, errors: stats?.errors ?? 0 };
}

/**
 * Pub/sub: the throughput stream through the kernel alone and through the kernel with the
 * broadcaster plug on each adapter (local bus; a private nats-server; the test kit's Phoenix
 * server), on loopback with one subscriber each; rounds in rotating order, medians.
 */
export async function benchPubSub(preset: BenchPreset, log: (line: string) => void): Promise<PubSubReport> {
  const set = buildLineSet({ lines: preset.pubsub.lines });
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-pubsub-"));
  const file = join(dir, "stream.jsonl");
  writeFileSync(file, set.text);
  const scenario: FakeScenario = { mode: "stream", file };
  const asm = createBenchAsm();
  const natsMeasured = natsServerInstalled();
  let nats: PrivateNatsServer | null = null;
  let phoenix: PhoenixTestServer | null = null;
  let natsCounter: Awaited<ReturnType<typeof natsAdapter>> | null = null;
  const rigs = new Map<PubSubVariant, Rig>();
  const walls: Record<PubSubVariant, number[]> = { kernel: [], local: [], nats: [], phoenix: [] };
  const last: Record<PubSubVariant, { events: number; dropped: number; errors: number }> = {
    kernel: { events: 0, dropped: 0, errors: 0 },
    local: { events: 0, dropped: 0, errors: 0 },
    nats: { events: 0, dropped: 0, errors: 0 },
    phoenix: { events: 0, dropped: 0, errors: 0 },
  };
  const variants = PUBSUB_VARIANTS.filter((variant) => variant !== "nats" || natsMeasured);
  try {
    rigs.set("kernel", { publisher: null, subscriber: null, received: { count: 0 } });
    const bus = localBus();
    rigs.set("local", { publisher: bus, subscriber: bus, received: { count: 0 } });
    if (natsMeasured) {
      nats = await startPrivateNatsServer();
      rigs.set("nats", { publisher: await natsAdapter({ servers: nats.url }), subscriber: null, received: { count: 0 } });
      natsCounter = await natsAdapter({ servers: nats.url });
    }
    phoenix = await startPhoenixServer();
    rigs.set("phoenix", { publisher: await phoenixAdapter({ url: phoenix.url }), subscriber: await phoenixAdapter({ url: phoenix.url }), received: { count: 0 } });
    if (natsCounter) {
      // Counts messages without decoding them: the figure is the publisher's, not a consumer's JSON.parse.
      const rig = rigs.get("nats")!;
      natsCounter.connection.subscribe("asm.session.*.run.*", {
        callback: () => {
          rig.received.count += 1;
        },
      });
      await natsCounter.connection.flush();
    }
    for (const [, rig] of rigs) {
      if (rig.subscriber) {
        await rig.subscriber.subscribe("asm:events", () => {
          rig.received.count += 1;
        });
      }
    }
    log(`pubsub: ${set.lines} lines, ${preset.pubsub.repeats} rounds, adapters ${variants.join(", ")}`);
    for (const variant of variants) await oneRun(asm, scenario, rigs.get(variant)!, set.lines);
    for (let round = 0; round < preset.pubsub.repeats; round += 1) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const variant of order) {
        const rig = rigs.get(variant)!;
        rig.received.count = 0;
        const result = await oneRun(asm, scenario, rig, set.lines);
        walls[variant].push(result.ms);
        last[variant] = result;
        // Let the subscriber catch up before the next variant (not timed).
        const deadline = Date.now() + 5_000;
        while ((rig.subscriber || variant === "nats") && rig.received.count < result.events && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      log(`  round ${round + 1}: ${variants.map((v) => `${v} ${(walls[v].at(-1) ?? 0).toFixed(0)} ms`).join(", ")}`);
    }
  } finally {
    for (const rig of rigs.values()) {
      await rig.publisher?.close();
      if (rig.subscriber !== rig.publisher) await rig.subscriber?.close();
    }
    await natsCounter?.close();
    await phoenix?.stop();
    await nats?.stop();
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const sample = (variant: PubSubVariant): PubSubSample => {
    const wallMs = median(walls[variant]);
    return {
      wallMs,
      wallMsRuns: walls[variant],
      events: last[variant].events,
      eventsPerSecond: (last[variant].events * 1000) / wallMs,
      delivered: rigs.get(variant)?.received.count ?? 0,
      dropped: last[variant].dropped,
      errors: last[variant].errors,
    };
  };
  const report = { kernel: sample("kernel"), local: sample("local"), nats: sample("nats"), phoenix: sample("phoenix") };
  return {
    lines: set.lines,
    repeats: preset.pubsub.repeats,
    natsMeasured,
    variants: report,
    ratios: {
      localToKernel: ratio(report.local.eventsPerSecond, report.kernel.eventsPerSecond),
      natsToKernel: ratio(report.nats.eventsPerSecond, report.kernel.eventsPerSecond),
      phoenixToKernel: ratio(report.phoenix.eventsPerSecond, report.kernel.eventsPerSecond),
    },
  };
}
