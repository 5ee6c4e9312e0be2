/**
 * Keeps the last `limit` bytes of a stream (the stderr tail attached to exit classification)
 * without holding the whole stream: chunks are dropped from the front once enough newer bytes
 * have arrived.
 */
export class StderrTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  /** Appends a chunk. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.chunks.length > 1 && this.bytes - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.bytes -= this.chunks.shift()?.length ?? 0;
    }
  }

  /** The tail as text; a character cut in half at the start is dropped. */
  text(): string {
    const joined = Buffer.concat(this.chunks, this.bytes);
    const tail = joined.length > this.limit ? joined.subarray(joined.length - this.limit) : joined;
    return tail.toString("utf8").replace(/^\uFFFD+/, "");
  }
}
