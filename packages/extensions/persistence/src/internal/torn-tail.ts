import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from "node:fs";

/** How far back from the end a torn tail is searched for per read. */
const CHUNK = 64 * 1024;

/**
 * Cuts a half-written last line off a JSONL file (a writer killed mid-write, a power cut): the
 * file is truncated just after its last newline. Returns the number of bytes dropped (0 when the
 * file ended cleanly). Complete lines are never touched.
 */
export function cutTornTail(path: string): number {
  const fd = openSync(path, "r+");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const buffer = Buffer.alloc(CHUNK);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - CHUNK);
      const read = readSync(fd, buffer, 0, end - start, start);
      const newline = buffer.subarray(0, read).lastIndexOf(0x0a);
      if (newline >= 0) {
        const keep = start + newline + 1;
        if (keep < size) ftruncateSync(fd, keep);
        return size - keep;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return size;
  } finally {
    closeSync(fd);
  }
}
