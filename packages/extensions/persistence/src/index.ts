// Durable event stores for the ASM kernel's `EventStore` contract, the URL that picks one, and
// what reading them back needs. History (replaySession, rebuildRun, sessionIndex) and
// restoreSession are the kernel's and work over every store here.

/** SQLite, the embedded default. */
export { SqliteStore, openSqliteStore } from "./sqlite-store.js";
export type { SqliteStoreOptions } from "./sqlite-store.js";
/** Append-only JSONL files, one per session. */
export { FileStore, openFileStore } from "./file-store.js";
export type { FileStoreOptions, FsyncPolicy, TornTail } from "./file-store.js";
/** PostgreSQL, shared by many machines, with live follow. */
export { PostgresStore, openPostgresStore } from "./postgres-store.js";
export type { PostgresStoreOptions, FollowOptions } from "./postgres-store.js";
export { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
export type { PostgresMigration } from "./postgres-migrations.js";
/** Store URLs: `sqlite:<file>`, `file:<dir>`, `postgres://…`. */
export { openStore, defaultStoreUrl } from "./open-store.js";
export type { DurableStore, OpenStoreOptions } from "./open-store.js";
/** The error every store failure becomes. */
export { storeUnavailable } from "./store-error.js";
