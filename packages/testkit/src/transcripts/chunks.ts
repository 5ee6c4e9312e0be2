/**
 * Cuts text or bytes at the given positions (any numbers: each is taken modulo `length + 1`;
 * duplicates and order do not matter), the way a pipe may deliver a stream in pieces. Bytes may
 * be cut inside a multi-byte character, as a pipe does.
 *
 * @example
 * ```ts
 * cutAt("abcdef", [4, 2]); // ["ab", "cd", "ef"]
 * cutAt(Buffer.from("é"), [1]); // [<Buffer c3>, <Buffer a9>]
 * ```
 */
export function cutAt(text: string, cuts: readonly number[]): string[];
export function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[];
export function cutAt(value: string | Uint8Array, cuts: readonly number[]): Array<string | Uint8Array> {
  const points = [...new Set(cuts.map((cut) => Math.abs(Math.trunc(cut)) % (value.length + 1)))].sort((a, b) => a - b);
  const chunks: Array<string | Uint8Array> = [];
  let start = 0;
  for (const point of points) {
    chunks.push(value.slice(start, point));
    start = point;
  }
  chunks.push(value.slice(start));
  return chunks;
}

/**
 * The lines a newline framer makes of `chunks`, as the core lane's line reader does: each
 * complete line without its `\n`, then what is left after the last newline, if anything.
 *
 * @example
 * ```ts
 * framedLines(["{\"a\"", ":1}\n{", "}"]); // ['{"a":1}', "{}"]
 * ```
 */
export function framedLines(chunks: Iterable<string>): string[] {
  const lines: string[] = [];
  let pending = "";
  for (const chunk of chunks) {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      lines.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  if (pending !== "") lines.push(pending);
  return lines;
}
