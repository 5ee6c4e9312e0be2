import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEvent, ulid, type AsmEvent } from "@asm/contract";
import pg from "pg";
import { afterAll } from "vitest";

/** The loopback PostgreSQL server the tests use (trust auth, database `test`). */
export const PG_URL = process.env.ASM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Whether the server answers; under `CI=true` an unreachable server fails the suite instead. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true and is not reachable at ${PG_URL}: ${String(error)}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const schemas: string[] = [];

/** A fresh schema name for one test; every schema made is dropped after the file. */
export function freshSchema(): string {
  const schema = `asm_test_${ulid().toLowerCase()}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  client.on("error", () => undefined);
  try {
    await client.connect();
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch {
    // Nothing to drop when the server is gone.
  } finally {
    await client.end().catch(() => undefined);
  }
});

const dirs: string[] = [];

/** A fresh temporary folder, removed after the file. */
export function tempDir(prefix = "asm-persist-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `count` assistant deltas of one run of `sessionId`. */
export function deltas(sessionId: string, count: number, runId = ulid()): AsmEvent[] {
  return Array.from({ length: count }, (_unused, sequence) =>
    createEvent({ kind: "assistant_delta", payload: { content: `delta ${sequence}` }, sessionId, runId, provider: "test", sequence, metadata: { lane: "core" } }),
  );
}
