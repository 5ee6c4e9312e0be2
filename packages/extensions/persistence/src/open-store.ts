import { homedir } from "node:os";
import { join } from "node:path";
import { AsmError } from "@asm/contract";
import { openFileStore, type FileStore, type FsyncPolicy } from "./file-store.js";
import { openPostgresStore, type PostgresStore } from "./postgres-store.js";
import { openSqliteStore, type SqliteStore } from "./sqlite-store.js";

/** Any store {@link openStore} opens. */
export type DurableStore = SqliteStore | FileStore | PostgresStore;

/** Options of {@link openStore} beyond the URL. */
export interface OpenStoreOptions {
  /** File store only: when writes are forced to disk. */
  fsync?: FsyncPolicy;
  /** File store only: read without taking the writer lock. */
  readOnly?: boolean;
  /** Environment used for the default location (tests pass their own). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The default store URL: `sqlite:$XDG_STATE_HOME/asm/asm.db` (`~/.local/state/asm/asm.db` when
 * `XDG_STATE_HOME` is unset).
 */
export function defaultStoreUrl(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== "" ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), ".local", "state");
  return `sqlite:${join(stateHome, "asm", "asm.db")}`;
}

/**
 * Opens the store a URL names: `sqlite:<file>`, `file:<dir>` (JSONL, one file per session) or
 * `postgres://…` / `postgresql://…` (schema from a `?schema=` parameter, default `public`). An
 * empty URL means {@link defaultStoreUrl}. Another scheme → `AsmError("config_invalid")` naming
 * `store`.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<DurableStore> {
  const target = url.trim() === "" ? defaultStoreUrl(options.env) : url.trim();
  if (target.startsWith("sqlite:")) {
    const path = target.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") throw new AsmError("config_invalid", "store sqlite: needs a file path (sqlite:<file>)", { details: { key: "store" } });
    return openSqliteStore({ path });
  }
  if (target.startsWith("file:")) {
    const dir = target.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (dir === "") throw new AsmError("config_invalid", "store file: needs a folder (file:<dir>)", { details: { key: "store" } });
    return openFileStore({ dir, ...(options.fsync ? { fsync: options.fsync } : {}), ...(options.readOnly ? { readOnly: true } : {}) });
  }
  if (target.startsWith("postgres://") || target.startsWith("postgresql://")) {
    const parsed = new URL(target);
    const schema = parsed.searchParams.get("schema") ?? undefined;
    parsed.searchParams.delete("schema");
    return openPostgresStore({ connectionString: parsed.toString(), ...(schema ? { schema } : {}) });
  }
  throw new AsmError("config_invalid", `store must be sqlite:<file>, file:<dir> or postgres://…, got ${JSON.stringify(target.replace(/\/\/[^@/]*@/, "//***@"))}`, {
    details: { key: "store" },
  });
}
