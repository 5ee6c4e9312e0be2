import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { open, readFile, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { AsmError, parseEvent, type AsmEvent, type EventStore } from "@asm/contract";
import { Batcher } from "./internal/batcher.js";
import { acquireLock } from "./internal/file-lock.js";
import { cutTornTail } from "./internal/torn-tail.js";
import { storeUnavailable } from "./store-error.js";

/**
 * When the file store forces its writes to disk (`fdatasync`). Every policy survives a crash of
 * the writer (an append resolves only after `write` returned, so the data is in the OS); they
 * differ on a power cut: `event` and `batch` lose nothing acknowledged, `interval` may lose what
 * was acknowledged in the last `intervalMs`.
 */
export type FsyncPolicy = "event" | "batch" | { intervalMs: number };

/** A half-written line cut off a file when the store was opened. */
export interface TornTail {
  /** The file that was repaired. */
  file: string;
  /** The session it holds (undefined for the session index). */
  sessionId?: string;
  /** Bytes dropped (the partial line). */
  droppedBytes: number;
}

/** Options of {@link openFileStore}. */
export interface FileStoreOptions {
  /** Folder holding one `<session>.jsonl` file per session (created when missing). */
  dir: string;
  /** Default `batch`: one `fdatasync` per append call or batch. */
  fsync?: FsyncPolicy;
  /**
   * Open for reading only: no lock is taken, nothing is repaired, appends reject. A reader can
   * follow a folder another process is writing.
   */
  readOnly?: boolean;
  /** Told about each torn tail cut off at open (also kept on `store.recovered`). */
  onTornTail?: (tail: TornTail) => void;
}

const INDEX_FILE = "sessions.jsonl";
const LOCK_FILE = ".lock";
const SUFFIX = ".jsonl";

interface SessionFile {
  ids: Set<string>;
  handle?: FileHandle;
  /** Bytes known to be written completely: a failed write is cut back to here. */
  size: number;
}

function fileOf(sessionId: string): string {
  return `${encodeURIComponent(sessionId)}${SUFFIX}`;
}

/**
 * Writes all of `text`: a write cut short (a disk filling up returns fewer bytes before it
 * fails) is continued, so the error of the next attempt surfaces instead of a silently short line.
 */
async function writeAll(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (bytesWritten === 0) throw Object.assign(new Error("no bytes written"), { code: "EIO" });
    offset += bytesWritten;
  }
}

/** The complete lines of a JSONL text: a last line without its newline is still being written. */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf("\n");
  if (end < 0) return [];
  return text.slice(0, end).split("\n").filter((line) => line !== "");
}

/**
 * An append-only JSONL {@link EventStore}: one file per session, one JSON event per line, written
 * by one process at a time (a lock file in the folder). On open, a half-written last line left by
 * a crash is cut off and reported (`recovered`, `onTornTail`), never fatal.
 */
export class FileStore implements EventStore {
  /** Torn tails cut off when the store was opened. */
  readonly recovered: TornTail[] = [];
  private readonly sessions = new Map<string, SessionFile>();
  private readonly batcher: Batcher<AsmEvent>;
  private readonly policy: FsyncPolicy;
  private readonly dirty = new Set<FileHandle>();
  private sessionOrder: string[] = [];
  private index?: FileHandle;
  private release?: () => void;
  private timer?: NodeJS.Timeout;
  private closed = false;

  /** Use {@link openFileStore}. */
  constructor(private readonly options: FileStoreOptions) {
    this.policy = options.fsync ?? "batch";
    if (typeof this.policy === "object" && !(Number.isFinite(this.policy.intervalMs) && this.policy.intervalMs > 0)) {
      throw new AsmError("config_invalid", "fsync.intervalMs must be a positive number of milliseconds", { details: { key: "fsync.intervalMs" } });
    }
    this.batcher = new Batcher((events) => this.write(events));
  }

  /** The folder. */
  get dir(): string {
    return this.options.dir;
  }

  /** Creates the folder, takes the lock, repairs torn tails and reads the session index. */
  async init(): Promise<void> {
    const { dir } = this.options;
    try {
      if (!this.options.readOnly) {
        mkdirSync(dir, { recursive: true });
        this.release = acquireLock(join(dir, LOCK_FILE));
        for (const name of readdirSync(dir)) {
          if (!name.endsWith(SUFFIX)) continue;
          const droppedBytes = cutTornTail(join(dir, name));
          if (droppedBytes === 0) continue;
          const tail: TornTail = { file: join(dir, name), droppedBytes, ...(name === INDEX_FILE ? {} : { sessionId: decodeURIComponent(name.slice(0, -SUFFIX.length)) }) };
          this.recovered.push(tail);
          this.options.onTornTail?.(tail);
        }
      }
      this.sessionOrder = await this.readIndex();
      if (!this.options.readOnly) this.index = await open(join(dir, INDEX_FILE), "a");
    } catch (error) {
      this.release?.();
      throw storeUnavailable("file", "opening the folder", error, { dir });
    }
    if (typeof this.policy === "object") {
      this.timer = setInterval(() => void this.syncDirty().catch(() => undefined), this.policy.intervalMs);
      this.timer.unref();
    }
  }

  private async readIndex(): Promise<string[]> {
    const path = join(this.options.dir, INDEX_FILE);
    if (!existsSync(path)) return [];
    let order: string[] = [];
    for (const line of completeLines(await readFile(path, "utf8"))) {
      const entry = JSON.parse(line) as { add?: string; reset?: string };
      if (typeof entry.add === "string" && !order.includes(entry.add)) order.push(entry.add);
      if (typeof entry.reset === "string") order = order.filter((id) => id !== entry.reset);
    }
    return order;
  }

  private async readSession(sessionId: string): Promise<AsmEvent[]> {
    const path = join(this.options.dir, fileOf(sessionId));
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return completeLines(text).map((line) => parseEvent(JSON.parse(line)));
  }

  private async session(sessionId: string): Promise<SessionFile> {
    let file = this.sessions.get(sessionId);
    if (!file) {
      file = { ids: new Set((await this.readSession(sessionId)).map((event) => event.id)), size: 0 };
      this.sessions.set(sessionId, file);
    }
    return file;
  }

  private async handleOf(sessionId: string, file: SessionFile): Promise<FileHandle> {
    if (!file.handle) {
      if (!this.sessionOrder.includes(sessionId)) {
        // The index line goes first: a session file never exists without its index entry.
        await writeAll(this.index!, `${JSON.stringify({ add: sessionId })}\n`);
        if (this.policy !== "event") this.dirty.add(this.index!);
        else await this.index!.datasync();
        this.sessionOrder.push(sessionId);
      }
      file.handle = await open(join(this.options.dir, fileOf(sessionId)), "a");
      file.size = (await file.handle.stat()).size;
    }
    return file.handle;
  }

  private async write(events: readonly AsmEvent[]): Promise<void> {
    if (this.closed || this.options.readOnly) {
      throw new AsmError("store_unavailable", `file store ${this.options.dir} is ${this.closed ? "closed" : "read-only"}`, { details: { store: "file", dir: this.options.dir } });
    }
    try {
      const lines = new Map<string, string[]>();
      for (const event of events) {
        const file = await this.session(event.sessionId);
        if (file.ids.has(event.id)) continue;
        file.ids.add(event.id);
        const line = `${JSON.stringify(event)}\n`;
        if (this.policy === "event") {
          const handle = await this.handleOf(event.sessionId, file);
          await writeAll(handle, line);
          await handle.datasync();
          file.size += Buffer.byteLength(line);
          continue;
        }
        const pending = lines.get(event.sessionId) ?? [];
        pending.push(line);
        lines.set(event.sessionId, pending);
      }
      for (const [sessionId, pending] of lines) {
        const file = this.sessions.get(sessionId)!;
        const handle = await this.handleOf(sessionId, file);
        const text = pending.join("");
        await writeAll(handle, text);
        file.size += Buffer.byteLength(text);
        this.dirty.add(handle);
      }
      if (this.policy === "batch") await this.syncDirty();
    } catch (error) {
      // A partly written line (disk full mid-write) is cut back, and what was not written must be
      // appendable again: the session is forgotten and re-read from its file on the next touch.
      for (const sessionId of new Set(events.map((event) => event.sessionId))) {
        const file = this.sessions.get(sessionId);
        this.sessions.delete(sessionId);
        if (file?.handle) {
          this.dirty.delete(file.handle);
          await file.handle.truncate(file.size).catch(() => undefined);
          await file.handle.close().catch(() => undefined);
        }
      }
      throw storeUnavailable("file", `appending ${events.length} event(s)`, error, { dir: this.options.dir });
    }
  }

  private async syncDirty(): Promise<void> {
    const handles = [...this.dirty];
    this.dirty.clear();
    await Promise.all(handles.map((handle) => handle.datasync()));
  }

  append(event: AsmEvent): Promise<void> {
    return this.batcher.add([event]);
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    return events.length === 0 ? Promise.resolve() : this.batcher.add(events);
  }

  async list(sessionId: string): Promise<AsmEvent[]> {
    try {
      return await this.readSession(sessionId);
    } catch (error) {
      throw storeUnavailable("file", "reading a session", error, { dir: this.options.dir, sessionId });
    }
  }

  async sessionIds(): Promise<string[]> {
    if (this.options.readOnly) this.sessionOrder = await this.readIndex();
    return [...this.sessionOrder];
  }

  async reset(sessionId: string): Promise<void> {
    // Serialized with appends, so a reset never races a write of the same session.
    await this.batcher.add([]);
    const file = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    await file?.handle?.close();
    if (file?.handle) this.dirty.delete(file.handle);
    await rm(join(this.options.dir, fileOf(sessionId)), { force: true });
    if (this.sessionOrder.includes(sessionId)) {
      if (this.index) await writeAll(this.index, `${JSON.stringify({ reset: sessionId })}\n`);
      this.sessionOrder = this.sessionOrder.filter((id) => id !== sessionId);
    }
  }

  /** Waits for pending appends, syncs, closes every file and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.batcher.add([]).catch(() => undefined);
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncDirty().catch(() => undefined);
    for (const file of this.sessions.values()) await file.handle?.close().catch(() => undefined);
    await this.index?.close().catch(() => undefined);
    this.release?.();
  }
}

/**
 * Opens an append-only JSONL file store in `dir`. A folder another live process writes →
 * `AsmError("store_unavailable")` (unless `readOnly`); a folder that cannot be created or written
 * → `store_unavailable` naming it.
 */
export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  const store = new FileStore(options);
  await store.init();
  return store;
}
