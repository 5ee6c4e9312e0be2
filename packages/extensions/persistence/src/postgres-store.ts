import { AsmError, parseEvent, type AsmEvent, type EventStore } from "@asm/contract";
import pg from "pg";
import { Batcher } from "./internal/batcher.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
import { storeUnavailable } from "./store-error.js";

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Schema holding the tables (created when missing). Default `public`. */
  schema?: string;
  /** A query that takes longer fails with `store_unavailable` (ms). Default 30 000. */
  queryTimeoutMs?: number;
  /** Most events in one insert. Default 500. */
  maxBatch?: number;
  /** `application_name` of the store's connections (what `pg_stat_activity` shows). Default `asm`. */
  applicationName?: string;
}

/** Options of {@link PostgresStore.follow}. */
export interface FollowOptions {
  /** Stops the follow (the iterator then ends). */
  signal?: AbortSignal;
  /** End after the session's `run_completed` of this run. */
  untilRunCompleted?: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface Row {
  /** The row's seq as text (bigint does not fit a number). */
  cursor: string;
  body: string;
}

/**
 * An {@link EventStore} in PostgreSQL (`pg`), for many machines sharing one store. Writes go
 * through one connection at a time (one writer per store), coalesced into multi-row inserts;
 * each insert notifies the channel `asm_events_<schema>` with the session id, so a reader on
 * another machine can {@link PostgresStore.follow | follow} a live session.
 */
export class PostgresStore implements EventStore {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly table: string;
  private readonly batcher: Batcher<AsmEvent>;
  private closed = false;

  /** Use {@link openPostgresStore}. */
  constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? "public";
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new AsmError("config_invalid", `schema must be a plain SQL identifier, got ${JSON.stringify(this.schema)}`, { details: { key: "schema" } });
    }
    this.table = `"${this.schema}".asm_events`;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      query_timeout: options.queryTimeoutMs ?? 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: options.applicationName ?? "asm",
    });
    // An idle connection the server dropped must not crash the host; the next query reconnects.
    this.pool.on("error", () => undefined);
    // Same for a connection terminated while checked out between two queries: its query fails.
    this.pool.on("connect", (client) => client.on("error", () => undefined));
    this.batcher = new Batcher((events) => this.write(events), options.maxBatch ?? 500);
  }

  /** The schema holding this store's tables. */
  get schemaName(): string {
    return this.schema;
  }

  /** The NOTIFY channel of this store's schema. */
  get channel(): string {
    return `asm_events_${this.schema.toLowerCase()}`;
  }

  /** Applies the shipped migrations not applied yet (under an advisory lock, so concurrent opens agree). */
  async migrate(): Promise<void> {
    const client = await this.connect("migrating");
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`asm_migrations:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".asm_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const applied = new Set((await client.query<{ version: number }>(`SELECT version FROM "${this.schema}".asm_migrations`)).rows.map((row) => row.version));
      for (const migration of POSTGRES_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql.replaceAll("{schema}", `"${this.schema}"`));
        await client.query(`INSERT INTO "${this.schema}".asm_migrations (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw storeUnavailable("postgres", "migrating the schema", error, { schema: this.schema });
    } finally {
      client.release();
    }
  }

  private async connect(what: string): Promise<pg.PoolClient> {
    if (this.closed) throw new AsmError("store_unavailable", "postgres store is closed", { details: { store: "postgres", schema: this.schema } });
    try {
      return await this.pool.connect();
    } catch (error) {
      throw storeUnavailable("postgres", `${what} (connecting)`, error, { schema: this.schema });
    }
  }

  private async write(events: readonly AsmEvent[]): Promise<void> {
    if (events.length === 0) return;
    const client = await this.connect("appending");
    let broken = false;
    try {
      // One statement: the rows and the notifications commit together (NOTIFY is transactional).
      await client.query(
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
             AS t(id, session_id, run_id, kind, ts, body, ord)
         ), inserted AS (
           INSERT INTO ${this.table} (id, session_id, run_id, kind, ts, body)
           SELECT id, session_id, run_id, kind, ts, body
             FROM (SELECT DISTINCT ON (id) * FROM input ORDER BY id, ord) AS first_of_each ORDER BY ord
           ON CONFLICT (id) DO NOTHING
           RETURNING session_id
         )
         SELECT pg_notify($7, session_id) FROM (SELECT DISTINCT session_id FROM inserted) AS s`,
        [
          events.map((event) => event.id),
          events.map((event) => event.sessionId),
          events.map((event) => event.runId),
          events.map((event) => event.kind),
          events.map((event) => event.timestamp),
          events.map((event) => JSON.stringify(event)),
          this.channel,
        ],
      );
    } catch (error) {
      broken = true;
      throw storeUnavailable("postgres", `appending ${events.length} event(s)`, error, { schema: this.schema });
    } finally {
      // A connection that failed is dropped, not reused (the server may have terminated it).
      client.release(broken);
    }
  }

  append(event: AsmEvent): Promise<void> {
    return this.batcher.add([event]);
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    return events.length === 0 ? Promise.resolve() : this.batcher.add(events);
  }

  private async rows(sessionId: string, afterSeq: string): Promise<Row[]> {
    const client = await this.connect("reading");
    let broken = false;
    try {
      return (await client.query<Row>(`SELECT seq::text AS cursor, body FROM ${this.table} WHERE session_id = $1 AND seq > $2::bigint ORDER BY seq`, [sessionId, afterSeq])).rows;
    } catch (error) {
      broken = true;
      throw storeUnavailable("postgres", "reading a session", error, { schema: this.schema, sessionId });
    } finally {
      client.release(broken);
    }
  }

  async list(sessionId: string): Promise<AsmEvent[]> {
    return (await this.rows(sessionId, "0")).map((row) => parseEvent(JSON.parse(row.body)));
  }

  async sessionIds(): Promise<string[]> {
    try {
      const result = await this.pool.query<{ session_id: string }>(`SELECT session_id FROM ${this.table} GROUP BY session_id ORDER BY MIN(seq)`);
      return result.rows.map((row) => row.session_id);
    } catch (error) {
      throw storeUnavailable("postgres", "listing sessions", error, { schema: this.schema });
    }
  }

  async reset(sessionId: string): Promise<void> {
    await this.batcher.add([]);
    try {
      await this.pool.query(`DELETE FROM ${this.table} WHERE session_id = $1`, [sessionId]);
    } catch (error) {
      throw storeUnavailable("postgres", "resetting a session", error, { schema: this.schema, sessionId });
    }
  }

  /**
   * Follows a session as it is written, from any connection or machine: yields every stored
   * event of `sessionId` (from the first), then each new one as its insert commits, using
   * `LISTEN` on the store's channel. Ends when `signal` aborts or after the `run_completed` of
   * `untilRunCompleted`.
   */
  async *follow(sessionId: string, options: FollowOptions = {}): AsyncGenerator<AsmEvent> {
    const listener = new pg.Client({ connectionString: this.options.connectionString });
    listener.on("error", () => undefined);
    let wake: (() => void) | undefined;
    let notified = true;
    const nudge = (): void => {
      notified = true;
      wake?.();
    };
    listener.on("notification", (message) => {
      if (message.payload === sessionId) nudge();
    });
    options.signal?.addEventListener("abort", nudge, { once: true });
    try {
      await listener.connect();
      await listener.query(`LISTEN "${this.channel}"`);
      let last = "0";
      while (!options.signal?.aborted) {
        if (!notified) await new Promise<void>((resolve) => (wake = resolve));
        notified = false;
        for (const row of await this.rows(sessionId, last)) {
          last = row.cursor;
          const event = parseEvent(JSON.parse(row.body));
          yield event;
          if (event.kind === "run_completed" && event.runId === options.untilRunCompleted) return;
        }
      }
    } catch (error) {
      throw storeUnavailable("postgres", "following a session", error, { schema: this.schema, sessionId });
    } finally {
      options.signal?.removeEventListener("abort", nudge);
      await listener.end().catch(() => undefined);
    }
  }

  /** Waits for pending appends, then closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.batcher.add([]).catch(() => undefined);
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Opens a PostgreSQL event store and applies the shipped migrations. An unreachable server →
 * `AsmError("store_unavailable")`.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const store = new PostgresStore(options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
