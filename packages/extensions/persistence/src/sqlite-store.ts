import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { AsmError, parseEvent, type AsmEvent, type EventStore } from "@asm/contract";
import { Batcher } from "./internal/batcher.js";
import { SQLITE_WORKER_SOURCE } from "./internal/sqlite-worker-source.js";
import { storeUnavailable } from "./store-error.js";

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file (created with its folder when missing). */
  path: string;
  /**
   * `full` (default): every commit is on disk before the append resolves, so an acknowledged
   * event survives a power cut. `normal`: WAL commits survive a crash of the writer but the last
   * ones may be lost on a power cut; faster.
   */
  synchronous?: "full" | "normal";
  /** Most events in one transaction. Default 1000. */
  maxBatch?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS asm_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS asm_events_session ON asm_events (session_id, seq);
`;

/** One event as the columns of its row: id, session id, run id, kind, timestamp, body (the event as JSON). */
type EventRow = [string, string, string, string, string, string];

/** A request to the writer thread (see `SQLITE_WORKER_SOURCE`). */
type WorkerRequest = { op: "append"; rows: string[] } | { op: "list"; sessionId: string } | { op: "sessionIds" } | { op: "reset"; sessionId: string } | { op: "close" };

/** The writer thread's answer to one request. */
interface WorkerAnswer {
  id: number;
  ok: boolean;
  value?: string[];
  error?: { message: string; code?: string };
}

interface Waiting {
  resolve: (value: string[] | undefined) => void;
  reject: (error: unknown) => void;
}

/** An error from the writer thread, carrying the SQLite code (`SQLITE_FULL`, …) as `code`. */
function threadError(error: { message: string; code?: string } | undefined): Error {
  const failure = new Error(error?.message ?? "the SQLite writer thread failed") as Error & { code?: string };
  if (error?.code !== undefined) failure.code = error.code;
  return failure;
}

// better-sqlite3's entry point, resolved here because the writer thread runs from source text
// and has no module location of its own to resolve from.
const BETTER_SQLITE3 = createRequire(import.meta.url).resolve("better-sqlite3");

/**
 * The embedded default {@link EventStore}: one SQLite file (better-sqlite3) in WAL mode with one
 * writer connection, held by a worker thread of its own. Inserts and commits (with
 * `synchronous=FULL`, the fsync) run on that thread, so they no longer stop the event loop that
 * delivers the run; the main thread only serializes the events. Appends that arrive while a
 * commit is running are coalesced into the next transaction, so a busy run pays one commit per
 * burst, not per event. An append resolves once the thread answered that its transaction
 * committed: an acknowledged event is in the database file and survives `kill -9` of the process.
 */
export class SqliteStore implements EventStore {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private readonly batcher: Batcher<EventRow>;
  /** Appends are applied in call order, so the kernel may hand the next batch before this one committed. */
  readonly pipelinedAppends = true;
  private readonly opened: Promise<void>;
  private nextId = 1;
  private closed = false;
  /** Set when the thread is gone: every later request fails with it. */
  private lost: AsmError | undefined;

  /** Starts the writer thread, which opens (and creates when missing) the database file. Use {@link openSqliteStore}. */
  constructor(private readonly options: SqliteStoreOptions) {
    this.worker = new Worker(SQLITE_WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath: BETTER_SQLITE3, path: options.path, synchronous: options.synchronous === "normal" ? "NORMAL" : "FULL", schema: SCHEMA },
    });
    this.opened = new Promise<void>((resolve, reject) => {
      this.waiting.set(0, { resolve: () => resolve(), reject });
    });
    // Nobody awaiting the opening yet is not an unhandled rejection: every request awaits it.
    this.opened.catch(() => undefined);
    this.worker.on("message", (answer: WorkerAnswer) => this.answered(answer));
    this.worker.on("error", (error) => this.threadLost(error));
    this.worker.on("exit", (code) => this.threadLost(new Error(`the SQLite writer thread exited (code ${code})`)));
    this.batcher = new Batcher((events) => this.write(events), options.maxBatch ?? 1000);
  }

  /** The database file. */
  get path(): string {
    return this.options.path;
  }

  /** Resolves once the database is open; rejects with `store_unavailable` when it cannot be. */
  ready(): Promise<void> {
    return this.opened.catch((error: unknown) => {
      throw storeUnavailable("sqlite", "opening the database", error, { path: this.options.path });
    });
  }

  private answered(answer: WorkerAnswer): void {
    const waiter = this.waiting.get(answer.id);
    if (waiter === undefined) return;
    this.waiting.delete(answer.id);
    // An idle thread does not keep the process alive; one with work in flight does.
    if (this.waiting.size === 0) this.worker.unref();
    if (answer.ok) waiter.resolve(answer.value);
    else waiter.reject(threadError(answer.error));
  }

  private threadLost(error: Error): void {
    this.lost ??= storeUnavailable("sqlite", "the writer thread", error, { path: this.options.path });
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  private async request(request: WorkerRequest): Promise<string[] | undefined> {
    await this.opened;
    if (this.lost) throw this.lost;
    const id = this.nextId++;
    return new Promise<string[] | undefined>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request });
    });
  }

  private async write(rows: readonly EventRow[]): Promise<void> {
    this.assertOpen();
    try {
      await this.request({ op: "append", rows: rows.flat() });
    } catch (error) {
      throw storeUnavailable("sqlite", `appending ${rows.length} event(s)`, error, { path: this.options.path });
    }
  }

  // Serialized when handed over, on the caller's thread: the event objects stay where they were
  // made, the thread gets plain strings (the cheapest thing to copy across), and a batch is
  // serialized while the thread still commits the one before.
  private rowsOf(events: readonly AsmEvent[]): EventRow[] {
    this.assertOpen();
    return events.map((event) => [event.id, event.sessionId, event.runId, event.kind, event.timestamp, JSON.stringify(event)]);
  }

  private assertOpen(): void {
    if (this.closed) throw new AsmError("store_unavailable", `sqlite store ${this.options.path} is closed`, { details: { store: "sqlite", path: this.options.path } });
  }

  append(event: AsmEvent): Promise<void> {
    return this.appendBatch([event]);
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    try {
      return this.batcher.add(this.rowsOf(events));
    } catch (error) {
      return Promise.reject(error instanceof AsmError ? error : storeUnavailable("sqlite", `serializing ${events.length} event(s)`, error, { path: this.options.path }));
    }
  }

  async list(sessionId: string): Promise<AsmEvent[]> {
    try {
      this.assertOpen();
      const bodies = (await this.request({ op: "list", sessionId })) ?? [];
      return bodies.map((body) => parseEvent(JSON.parse(body)));
    } catch (error) {
      throw storeUnavailable("sqlite", "reading a session", error, { path: this.options.path, sessionId });
    }
  }

  async sessionIds(): Promise<string[]> {
    try {
      this.assertOpen();
      return (await this.request({ op: "sessionIds" })) ?? [];
    } catch (error) {
      throw storeUnavailable("sqlite", "listing sessions", error, { path: this.options.path });
    }
  }

  async reset(sessionId: string): Promise<void> {
    try {
      this.assertOpen();
      await this.request({ op: "reset", sessionId });
    } catch (error) {
      throw storeUnavailable("sqlite", "resetting a session", error, { path: this.options.path, sessionId });
    }
  }

  /** Waits for pending appends, then closes the database and ends the writer thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.batcher.add([]).catch(() => undefined);
    const opened = await this.opened.then(
      () => true,
      () => false,
    );
    if (opened && !this.lost) await this.request({ op: "close" }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }
}

/**
 * Opens a SQLite event store: starts its writer thread and waits until the database is open.
 * Failure to open (a read-only folder, a corrupt file) → `AsmError("store_unavailable")` naming
 * the path.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const store = new SqliteStore(options);
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
