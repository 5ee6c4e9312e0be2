import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ulid, type AsmEvent } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openFileStore, openPostgresStore, openSqliteStore, type FileStore, type SqliteStore } from "../src/index.js";
import { deltas, freshSchema, PG_URL, postgresReachable, tempDir } from "./helpers.js";

// Real faults: a tiny tmpfs that fills up, the same tmpfs remounted read-only, and PostgreSQL
// backends terminated with pg_terminate_backend. Mounting needs root (CI runs as root); a machine
// where it is not permitted skips those tests, except under CI=true where that is a failure.
const mounts: string[] = [];

function tinyTmpfs(sizeKb: number): string | null {
  const dir = tempDir("asm-tmpfs-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], { stdio: "ignore" });
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`mounting a tmpfs is required under CI=true: ${String(error)}`);
    return null;
  }
  mounts.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of mounts.splice(0)) execFileSync("umount", ["-l", dir], { stdio: "ignore" });
});

const big = (sessionId: string, count: number): AsmEvent[] => deltas(sessionId, count).map((event) => ({ ...event, payload: { ...event.payload, content: "z".repeat(16 * 1024) } }) as AsmEvent);

async function fillUntilFull(store: SqliteStore | FileStore, sessionId: string): Promise<{ acknowledged: AsmEvent[]; error: unknown }> {
  const acknowledged: AsmEvent[] = [];
  for (const event of big(sessionId, 400)) {
    try {
      await store.append(event);
      acknowledged.push(event);
    } catch (error) {
      return { acknowledged, error };
    }
  }
  throw new Error("the disk never filled up");
}

describe("full disk", () => {
  it("sqlite: store_unavailable (SQLITE_FULL), and every acknowledged event still reads back", async (context) => {
    const dir = tinyTmpfs(512);
    if (!dir) return context.skip("cannot mount a tmpfs here");
    const store = await openSqliteStore({ path: join(dir, "asm.db") });
    const sessionId = ulid();
    const { acknowledged, error } = await fillUntilFull(store, sessionId);
    expect(error).toMatchObject({ code: "store_unavailable", details: { store: "sqlite", cause: expect.stringMatching(/SQLITE_FULL|SQLITE_IOERR/) } });
    expect(acknowledged.length).toBeGreaterThan(0);
    expect((await store.list(sessionId)).map((event) => event.id)).toEqual(acknowledged.map((event) => event.id));
    await store.close();
  });

  it("file: store_unavailable (ENOSPC), a partial line is cut back, and the store stays usable", async (context) => {
    const dir = tinyTmpfs(512);
    if (!dir) return context.skip("cannot mount a tmpfs here");
    const store = await openFileStore({ dir, fsync: "event" });
    const sessionId = ulid();
    const { acknowledged, error } = await fillUntilFull(store, sessionId);
    expect(error).toMatchObject({ code: "store_unavailable", details: { store: "file", cause: "ENOSPC" } });
    expect((await store.list(sessionId)).map((event) => event.id)).toEqual(acknowledged.map((event) => event.id));
    expect(readFileSync(join(dir, `${sessionId}.jsonl`), "utf8").endsWith("\n")).toBe(true);
    await store.close();
  });

  it("the kernel fails the run with store_unavailable and says so on the stream", async (context) => {
    const dir = tinyTmpfs(256);
    if (!dir) return context.skip("cannot mount a tmpfs here");
    const store = await openFileStore({ dir });
    const chunk = "y".repeat(32 * 1024);
    const provider = fakeProvider([...Array.from({ length: 40 }, () => ({ emit: fakeEvents.delta(chunk) })), { emit: fakeEvents.result("never stored") }]);
    const asm = createAsm({ providers: [provider], config: { store } });
    const events: AsmEvent[] = [];
    for await (const event of asm.stream("fake", "fill the disk")) events.push(event);
    const completed = events.at(-1)!;
    expect(completed).toMatchObject({ kind: "run_completed", payload: { status: "failed", error: { code: "store_unavailable" } } });
    // Delivery does not wait for the store, so the consumer saw events the store lost; the run's
    // one terminal event says so.
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    await asm.dispose();
    await store.close();
  });
});

describe("read-only folder", () => {
  it("a writer cannot open a store on a read-only file system (store_unavailable); a reader can", async (context) => {
    const dir = tinyTmpfs(1024);
    if (!dir) return context.skip("cannot mount a tmpfs here");
    const filesDir = join(dir, "files");
    const files = await openFileStore({ dir: filesDir });
    const sqlite = await openSqliteStore({ path: join(dir, "asm.db") });
    const sessionId = ulid();
    const events = deltas(sessionId, 3);
    await files.appendBatch(events);
    await sqlite.appendBatch(events);
    await files.close();
    await sqlite.close();
    execFileSync("mount", ["-o", "remount,ro", dir]);
    const refused = await openFileStore({ dir: filesDir }).catch((error: unknown) => error);
    expect(refused, JSON.stringify((refused as { details?: unknown }).details)).toMatchObject({ code: "store_unavailable", details: { store: "file", cause: "EROFS" } });
    await expect(openFileStore({ dir: join(dir, "other") })).rejects.toMatchObject({ code: "store_unavailable", details: { store: "file" } });
    await expect(openSqliteStore({ path: join(dir, "new", "asm.db") })).rejects.toMatchObject({ code: "store_unavailable", details: { store: "sqlite" } });
    const reader = await openFileStore({ dir: filesDir, readOnly: true });
    expect(await reader.list(sessionId)).toEqual(events);
    await expect(reader.append(deltas(sessionId, 1)[0]!)).rejects.toMatchObject({ code: "store_unavailable" });
    await reader.close();
  });
});

describe("two writers", () => {
  it("a second live writer on one folder is refused; after the first closes it may open", async () => {
    const dir = tempDir();
    const first = await openFileStore({ dir });
    await expect(openFileStore({ dir })).rejects.toMatchObject({ code: "store_unavailable", details: { ownerPid: process.pid } });
    await first.close();
    const second = await openFileStore({ dir });
    await second.close();
  });
});

describe("PostgreSQL connection dropped", () => {
  it("a terminated backend fails only the appends it carried; acknowledged events are stored and the store reconnects", async (context) => {
    if (!(await postgresReachable())) return context.skip("no PostgreSQL server on 127.0.0.1:5432");
    const applicationName = `asm-fault-${ulid().toLowerCase()}`;
    const store = await openPostgresStore({ connectionString: PG_URL, schema: freshSchema(), applicationName });
    const killer = new pg.Client({ connectionString: PG_URL });
    await killer.connect();
    const provider = fakeProvider([...Array.from({ length: 300 }, (_unused, index) => ({ emit: fakeEvents.delta(`d${index}`) })), { emit: fakeEvents.result("end") }]);
    const asm = createAsm({ providers: [provider], config: { store } });
    const session = await asm.startSession({ provider: "fake" });
    let terminated = 0;
    let running = true;
    const terminator = (async () => {
      while (running) {
        const result = await killer.query<{ ok: boolean }>("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1", [applicationName]);
        terminated += result.rows.filter((row) => row.ok).length;
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
    const events: AsmEvent[] = [];
    for await (const event of session.stream("keep writing")) events.push(event);
    running = false;
    await terminator;
    expect(terminated).toBeGreaterThan(0);
    const stored = new Set((await store.list(session.id)).map((event) => event.id));
    let failed = 0;
    for (const event of events) {
      const outcome = await asm.acknowledged(event).then(
        () => "stored",
        (error: unknown) => (error as { code?: string }).code,
      );
      if (outcome === "stored") expect(stored.has(event.id)).toBe(true);
      else if (event.kind !== "run_completed") {
        expect(outcome).toBe("store_unavailable");
        failed++;
      } else expect(outcome).toBe("store_unavailable");
    }
    // A failed append of any event before run_completed ends the run failed with store_unavailable.
    const completed = events.at(-1)!;
    if (failed > 0) expect(completed.payload).toMatchObject({ status: "failed", error: { code: "store_unavailable" } });
    else expect(completed.payload).toMatchObject({ status: "completed" });
    // The store reconnects: a new append goes through.
    const after = deltas(session.id, 1)[0]!;
    await store.append(after);
    expect((await store.list(session.id)).at(-1)?.id).toBe(after.id);
    await asm.dispose();
    await killer.end();
    await store.close();
  });
});
