/** One versioned schema change of the PostgreSQL store; `{schema}` is replaced by the quoted schema name. */
export interface PostgresMigration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The PostgreSQL store's schema, shipped with the package and applied in order by
 * `migratePostgres` (each once, recorded in `asm_migrations`). Add a migration, never edit one.
 * Events are kept as JSON text, not `jsonb`: `jsonb` rejects `\u0000`, which agents do print.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    description: "events table, one row per event, ordered by seq",
    sql: `
CREATE TABLE IF NOT EXISTS {schema}.asm_events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ts TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS asm_events_session ON {schema}.asm_events (session_id, seq);
`,
  },
];
