const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Default cap on one line: 32 MiB. */
const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

/** Why a {@link JsonlReader} stopped: one line grew past the cap. */
export interface JsonlOverflow {
  /** Bytes of the offending line seen so far (it may be longer still). */
  lineBytes: number;
  /** The cap that was exceeded. */
  maxLineBytes: number;
}

/** Options of {@link JsonlReader}. */
export interface JsonlReaderOptions {
  /** Longest accepted line in bytes, without its line terminator. Defaults to 32 MiB. */
  maxLineBytes?: number;
}

/**
 * Splits a byte stream into newline-delimited lines (JSONL framing) without interpreting them.
 *
 * - Chunks may split lines (and multi-byte characters) anywhere: bytes of an unfinished line are
 *   kept as a list of slices and joined once when the line ends, so a multi-megabyte line costs
 *   one copy, not one per chunk.
 * - `\n` and `\r\n` both end a line; empty lines are skipped.
 * - A line longer than `maxLineBytes` is never truncated: the reader stops, {@link overflow}
 *   describes the line, and every later chunk is discarded. The caller reports it as an error.
 * - Invalid UTF-8 is decoded with replacement characters; no input makes it throw.
 *
 * Pure and synchronous, so it can be benchmarked on its own.
 *
 * @example
 * ```ts
 * const reader = new JsonlReader({ maxLineBytes: 1024 * 1024 });
 * for (const line of reader.push(chunk)) handle(JSON.parse(line));
 * for (const line of reader.end()) handle(JSON.parse(line));
 * if (reader.overflow) fail(reader.overflow);
 * ```
 */
export class JsonlReader {
  /** The configured cap. */
  readonly maxLineBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowInfo: JsonlOverflow | null = null;

  constructor(options: JsonlReaderOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Set once a line exceeded the cap; the reader then ignores all further input. */
  get overflow(): JsonlOverflow | null {
    return this.overflowInfo;
  }

  /** Bytes held for the current unfinished line. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Feeds one chunk; returns the lines it completed, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    if (this.overflowInfo !== null || chunk.length === 0) return lines;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline === -1) break;
      if (this.pendingBytes === 0) {
        if (!this.emit(buffer, start, newline, lines)) return lines;
      } else {
        this.pending.push(buffer.subarray(start, newline));
        const joined = Buffer.concat(this.pending, this.pendingBytes + newline - start);
        this.pending = [];
        this.pendingBytes = 0;
        if (!this.emit(joined, 0, joined.length, lines)) return lines;
      }
      start = newline + 1;
    }
    if (start < buffer.length) {
      this.pending.push(buffer.subarray(start));
      this.pendingBytes += buffer.length - start;
      // A trailing `\r` may still turn out to be half of a `\r\n`.
      const last = buffer[buffer.length - 1];
      const contentBytes = this.pendingBytes - (last === CARRIAGE_RETURN ? 1 : 0);
      if (contentBytes > this.maxLineBytes) this.fail(contentBytes);
    }
    return lines;
  }

  /** Ends the stream: returns the last line when the stream did not end with a newline. */
  end(): string[] {
    const lines: string[] = [];
    if (this.overflowInfo !== null || this.pendingBytes === 0) return lines;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(joined, 0, joined.length, lines);
    return lines;
  }

  // Decodes buffer[start, end) as one line; returns false when the line overflowed.
  private emit(buffer: Buffer, start: number, end: number, lines: string[]): boolean {
    if (end > start && buffer[end - 1] === CARRIAGE_RETURN) end -= 1;
    if (end - start > this.maxLineBytes) {
      this.fail(end - start);
      return false;
    }
    if (end > start) lines.push(buffer.toString("utf8", start, end));
    return true;
  }

  private fail(lineBytes: number): void {
    this.overflowInfo = { lineBytes, maxLineBytes: this.maxLineBytes };
    this.pending = [];
    this.pendingBytes = 0;
  }
}
