import { appendFileSync, mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError, createEvent, ulid, type AsmEvent, type EventStore } from "@asm/contract";
import { createAsm, MemoryStore } from "@asm/core";
import { openFileStore, openPostgresStore, openSqliteStore } from "@asm/persistence";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import Database from "better-sqlite3";
import type { BenchPreset } from "../presets.js";
import { median } from "../stats.js";

/** The PostgreSQL server the store benchmark uses when it answers (trust auth, database `test`). */
const PG_URL = process.env.ASM_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** One way of running the stream: the kernel alone, the kernel with a store, or a bare write loop. */
interface PersistenceSample {
  /** Events per second (median over the repeats). */
  eventsPerSecond: number;
  /** Every repeat's wall time (ms). */
  wallMsRuns: number[];
}

/** The store benchmark's figures. */
export interface PersistenceReport {
  events: number;
  repeats: number;
  /** `kernel` (no store), `kernel+<store>`, `bare better-sqlite3`, `bare appendFileSync`. */
  variants: Record<string, PersistenceSample>;
  /** kernel+sqlite ÷ kernel alone (goal ≥ 0.8). */
  sqliteToKernel: number;
  /** Why a variant is missing (PostgreSQL not reachable). */
  skipped: string[];
}

async function timed(run: () => Promise<number> | number): Promise<{ ms: number; events: number }> {
  const start = performance.now();
  const events = await run();
  return { ms: performance.now() - start, events };
}

/** One run of `events` deltas through the kernel (an in-process fake backend), with `store` or none. */
async function kernelRun(events: number, store: EventStore | undefined): Promise<number> {
  const script = [...Array.from({ length: events }, (_unused, index) => ({ emit: fakeEvents.delta(`delta ${index} `) })), { emit: fakeEvents.result("done") }];
  const asm = createAsm({ providers: [fakeProvider(script)], config: store ? { store } : {} });
  let count = 0;
  for await (const event of asm.stream("fake", "bench")) {
    count++;
    if (event.kind === "run_completed" && (event.payload as { status: string }).status !== "completed") throw new AsmError("runtime", "bench run failed");
  }
  await asm.dispose();
  return count;
}

function benchEvents(count: number): AsmEvent[] {
  const sessionId = ulid();
  const runId = ulid();
  return Array.from({ length: count }, (_unused, sequence) =>
    createEvent({ kind: "assistant_delta", payload: { content: `delta ${sequence} ` }, sessionId, runId, provider: "bench", sequence, metadata: { lane: "core" } }),
  );
}

/** The bare loops the stores are compared with: what the storage itself costs per event. */
function bareSqlite(dir: string, events: AsmEvent[]): number {
  const db = new Database(join(dir, `bare-${ulid()}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, session_id TEXT, body TEXT)");
  const insert = db.prepare("INSERT INTO events (id, session_id, body) VALUES (?, ?, ?)");
  // One transaction per 1 000 events, like the store's batches under load.
  const batch = db.transaction((slice: AsmEvent[]) => {
    for (const event of slice) insert.run(event.id, event.sessionId, JSON.stringify(event));
  });
  for (let index = 0; index < events.length; index += 1000) batch(events.slice(index, index + 1000));
  db.close();
  return events.length;
}

function bareAppend(dir: string, events: AsmEvent[]): number {
  const path = join(dir, `bare-${ulid()}.jsonl`);
  closeSync(openSync(path, "a"));
  for (const event of events) appendFileSync(path, `${JSON.stringify(event)}\n`);
  return events.length;
}

/**
 * Events per second appended through each store with the kernel on the same stream (an in-process
 * fake backend emitting deltas), against the kernel without a store and bare better-sqlite3 and
 * `fs.appendFileSync` loops, all in this run.
 */
export async function benchPersistence(preset: BenchPreset, log: (line: string) => void): Promise<PersistenceReport> {
  const { events, repeats } = preset.persistence;
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-store-"));
  const skipped: string[] = [];
  const variants: Record<string, PersistenceSample> = {};
  const pending = new Map<string, Array<{ ms: number; events: number }>>();
  const record = (name: string, runs: Array<{ ms: number; events: number }>): void => {
    const wallMsRuns = runs.map((run) => run.ms);
    variants[name] = { eventsPerSecond: (runs[0]!.events / median(wallMsRuns)) * 1000, wallMsRuns };
    log(`persistence: ${name} ${Math.round(variants[name].eventsPerSecond)} events/s`);
  };
  const stores: Array<[string, () => Promise<EventStore>]> = [
    ["kernel+memory", () => Promise.resolve(new MemoryStore())],
    ["kernel+sqlite", () => openSqliteStore({ path: join(dir, `store-${ulid()}.db`) })],
    ["kernel+file (fsync batch)", () => openFileStore({ dir: join(dir, `files-${ulid()}`) })],
    ["kernel+postgres", () => openPostgresStore({ connectionString: PG_URL, schema: "asm_bench" })],
  ];
  try {
    // Warm the kernel's code paths once before anything is measured.
    await kernelRun(Math.min(events, 2000), undefined);
    for (let round = 0; round < repeats; round++) {
      // Interleaved, so slow drift of the machine's load falls on every variant alike.
      const rounds: Array<[string, () => Promise<number> | number]> = [["kernel", () => kernelRun(events, undefined)]];
      for (const [name, open] of stores) {
        if (skipped.some((reason) => reason.startsWith(name))) continue;
        rounds.push([
          name,
          async () => {
            let store: EventStore;
            try {
              store = await open();
            } catch (error) {
              skipped.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
              return Number.NaN;
            }
            try {
              return await kernelRun(events, store);
            } finally {
              // The shared PostgreSQL schema keeps nothing between runs.
              if (name === "kernel+postgres") for (const id of (await store.sessionIds?.()) ?? []) await store.reset(id);
              await store.close?.();
            }
          },
        ]);
      }
      const bare = benchEvents(events);
      rounds.push(["bare better-sqlite3", () => bareSqlite(dir, bare)], ["bare appendFileSync", () => bareAppend(dir, bare)]);
      for (const [name, run] of rounds) {
        const sample = await timed(run);
        if (Number.isNaN(sample.events)) continue;
        const runs = (pending.get(name) ?? []).concat(sample);
        pending.set(name, runs);
      }
    }
    for (const [name, runs] of pending) record(name, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const kernel = variants.kernel!.eventsPerSecond;
  return { events, repeats, variants, sqliteToKernel: variants["kernel+sqlite"]!.eventsPerSecond / kernel, skipped };
}
