import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AsmError, parseEvent, type AsmEvent, type EventStore } from "@asm/contract";
import Database from "better-sqlite3";
import { Batcher } from "./internal/batcher.js";
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
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS asm_events_session ON asm_events (session_id, seq);
`;

/**
 * The embedded default {@link EventStore}: one SQLite file (better-sqlite3) in WAL mode with one
 * writer connection. Appends that arrive while a commit is running are coalesced into the next
 * transaction, so a busy run pays one commit per burst, not per event.
 */
export class SqliteStore implements EventStore {
  private readonly db: Database.Database;
  private readonly batcher: Batcher<AsmEvent>;
  private readonly insertMany: (events: readonly AsmEvent[]) => void;
  private readonly selectSession: Database.Statement<[string], { body: string }>;
  private readonly selectSessions: Database.Statement<[], { session_id: string }>;
  private readonly deleteSession: Database.Statement<[string]>;
  private closed = false;

  /** Opens (and creates when missing) the database file. Use {@link openSqliteStore}. */
  constructor(private readonly options: SqliteStoreOptions) {
    try {
      mkdirSync(dirname(options.path), { recursive: true });
      this.db = new Database(options.path);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
      // A second process writing the same file waits for the lock instead of failing at once.
      this.db.pragma("busy_timeout = 5000");
      this.db.exec(SCHEMA);
    } catch (error) {
      throw storeUnavailable("sqlite", "opening the database", error, { path: options.path });
    }
    const insert = this.db.prepare<[string, string, string, string, string, string]>(
      "INSERT OR IGNORE INTO asm_events (id, session_id, run_id, kind, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.insertMany = this.db.transaction((events: readonly AsmEvent[]) => {
      for (const event of events) insert.run(event.id, event.sessionId, event.runId, event.kind, event.timestamp, JSON.stringify(event));
    });
    this.selectSession = this.db.prepare("SELECT body FROM asm_events WHERE session_id = ? ORDER BY seq");
    this.selectSessions = this.db.prepare("SELECT session_id FROM asm_events GROUP BY session_id ORDER BY MIN(seq)");
    this.deleteSession = this.db.prepare("DELETE FROM asm_events WHERE session_id = ?");
    this.batcher = new Batcher((events) => this.write(events), options.maxBatch ?? 1000, true);
  }

  /** The database file. */
  get path(): string {
    return this.options.path;
  }

  private write(events: readonly AsmEvent[]): void {
    this.assertOpen();
    try {
      this.insertMany(events);
    } catch (error) {
      throw storeUnavailable("sqlite", `appending ${events.length} event(s)`, error, { path: this.options.path });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new AsmError("store_unavailable", `sqlite store ${this.options.path} is closed`, { details: { store: "sqlite", path: this.options.path } });
  }

  append(event: AsmEvent): Promise<void> {
    return this.batcher.add([event]);
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    return events.length === 0 ? Promise.resolve() : this.batcher.add(events);
  }

  list(sessionId: string): Promise<AsmEvent[]> {
    try {
      this.assertOpen();
      return Promise.resolve(this.selectSession.all(sessionId).map((row) => parseEvent(JSON.parse(row.body))));
    } catch (error) {
      return Promise.reject(storeUnavailable("sqlite", "reading a session", error, { path: this.options.path, sessionId }));
    }
  }

  sessionIds(): Promise<string[]> {
    try {
      this.assertOpen();
      return Promise.resolve(this.selectSessions.all().map((row) => row.session_id));
    } catch (error) {
      return Promise.reject(storeUnavailable("sqlite", "listing sessions", error, { path: this.options.path }));
    }
  }

  reset(sessionId: string): Promise<void> {
    try {
      this.assertOpen();
      this.deleteSession.run(sessionId);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(storeUnavailable("sqlite", "resetting a session", error, { path: this.options.path, sessionId }));
    }
  }

  /** Waits for pending appends, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.batcher.add([]).catch(() => undefined);
    this.closed = true;
    this.db.close();
  }
}

/**
 * Opens a SQLite event store. Failure to open (a read-only folder, a corrupt file) →
 * `AsmError("store_unavailable")` naming the path.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a failure to open rejects rather than throws.
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new SqliteStore(options);
}
