import { join } from "node:path";
import { describeEventStoreConformance } from "@asm/testkit/conformance";
import { openFileStore, openPostgresStore, openSqliteStore, type FileStore, type PostgresStore, type SqliteStore } from "../src/index.js";
import { freshSchema, PG_URL, postgresReachable, tempDir } from "./helpers.js";

describeEventStoreConformance("sqlite", {
  create: () => openSqliteStore({ path: join(tempDir(), "asm.db") }),
  reopen: async (store) => {
    await store.close?.();
    return openSqliteStore({ path: (store as SqliteStore).path });
  },
});

for (const fsync of ["event", "batch", { intervalMs: 20 }] as const) {
  describeEventStoreConformance(`file (fsync ${typeof fsync === "string" ? fsync : "interval"})`, {
    create: () => openFileStore({ dir: tempDir(), fsync }),
    reopen: async (store) => {
      await store.close?.();
      return openFileStore({ dir: (store as FileStore).dir, fsync });
    },
  });
}

// The real server on loopback; a missing server is a failure under CI=true (postgresReachable throws).
if (await postgresReachable()) {
  describeEventStoreConformance("postgres", {
    create: () => openPostgresStore({ connectionString: PG_URL, schema: freshSchema() }),
    reopen: async (store) => {
      const schema = (store as PostgresStore).schemaName;
      await store.close?.();
      return openPostgresStore({ connectionString: PG_URL, schema });
    },
  });
}
