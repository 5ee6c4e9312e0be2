import { appendFileSync, readFileSync, truncateSync, statSync } from "node:fs";
import { join } from "node:path";
import { ulid } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { openFileStore, openSqliteStore, type TornTail } from "../src/index.js";
import { deltas, tempDir } from "./helpers.js";

describe("torn tails (a write cut short by a crash or a power cut)", () => {
  it("file store: cuts a half-written last line off, reports it, and keeps every whole line", async () => {
    const dir = tempDir();
    const sessionId = ulid();
    const events = deltas(sessionId, 10);
    const first = await openFileStore({ dir, fsync: "event" });
    await first.appendBatch(events);
    await first.close();
    const file = join(dir, `${sessionId}.jsonl`);
    const whole = statSync(file).size;
    // A power cut mid-write: the next event's line reached the disk only in part.
    appendFileSync(file, JSON.stringify(deltas(sessionId, 1)[0]).slice(0, 57));

    const seen: TornTail[] = [];
    const store = await openFileStore({ dir, onTornTail: (tail) => seen.push(tail) });
    expect(seen).toEqual([{ file, sessionId, droppedBytes: 57 }]);
    expect(store.recovered).toEqual(seen);
    expect(statSync(file).size).toBe(whole);
    expect(await store.list(sessionId)).toEqual(events);
    const more = deltas(sessionId, 2);
    await store.appendBatch(more);
    expect(await store.list(sessionId)).toEqual([...events, ...more]);
    expect(readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([...events, ...more].map((event) => event.id));
    await store.close();
  });

  it("file store: a file truncated inside its first line opens empty, not broken", async () => {
    const dir = tempDir();
    const sessionId = ulid();
    const store = await openFileStore({ dir });
    await store.append(deltas(sessionId, 1)[0]!);
    await store.close();
    truncateSync(join(dir, `${sessionId}.jsonl`), 20);
    const again = await openFileStore({ dir });
    expect(again.recovered).toMatchObject([{ sessionId, droppedBytes: 20 }]);
    expect(await again.list(sessionId)).toEqual([]);
    await again.close();
  });

  it("a reader never sees a line that is still being written", async () => {
    const dir = tempDir();
    const sessionId = ulid();
    const writer = await openFileStore({ dir });
    const events = deltas(sessionId, 3);
    await writer.appendBatch(events);
    appendFileSync(join(dir, `${sessionId}.jsonl`), '{"id":"half');
    const reader = await openFileStore({ dir, readOnly: true });
    expect(await reader.list(sessionId)).toEqual(events);
    expect(await reader.sessionIds()).toEqual([sessionId]);
    await expect(reader.append(deltas(sessionId, 1)[0]!)).rejects.toMatchObject({ code: "store_unavailable" });
    await reader.close();
    await writer.close();
  });

  it("sqlite store: garbage after the last commit in the write-ahead log is ignored", async () => {
    const dir = tempDir();
    const path = join(dir, "asm.db");
    const sessionId = ulid();
    const events = deltas(sessionId, 25);
    const store = await openSqliteStore({ path });
    await store.appendBatch(events.slice(0, 10));
    for (const event of events.slice(10)) await store.append(event);
    // Not closed (a crashed writer leaves its WAL behind); a torn frame lands after the commits.
    appendFileSync(`${path}-wal`, Buffer.alloc(3000, 0xab));
    const again = await openSqliteStore({ path });
    expect(await again.list(sessionId)).toEqual(events);
    await again.close();
    await store.close();
  });
});
