import type { Writable } from "node:stream";
import { AsmError } from "@asm/contract";

/**
 * Writes to a Node stream honouring backpressure: resolves once the chunk is handed off (and
 * waits for `drain` when the stream's buffer is full), rejects with the stream's error.
 */
export function writeChunk(stream: Writable, chunk: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (stream.destroyed || stream.writableEnded) {
      reject(new AsmError("runtime", "cannot write: the output stream is closed"));
      return;
    }
    let settled = false;
    const done = (error?: Error | null) => {
      if (settled) return;
      settled = true;
      stream.off("error", done);
      if (error) reject(AsmError.from(error, "runtime"));
      else resolve();
    };
    stream.once("error", done);
    const ok = stream.write(chunk, (error) => {
      if (error) done(error);
      else if (ok) done();
    });
    if (!ok) stream.once("drain", () => done());
  });
}
