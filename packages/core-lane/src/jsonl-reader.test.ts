import fc from "fast-check";
import { cutAt } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { JsonlReader } from "./jsonl-reader.js";

function readAll(chunks: Uint8Array[], maxLineBytes?: number): { lines: string[]; reader: JsonlReader } {
  const reader = new JsonlReader(maxLineBytes === undefined ? {} : { maxLineBytes });
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...reader.push(chunk));
  lines.push(...reader.end());
  return { lines, reader };
}

describe("JsonlReader", () => {
  it("splits lines and keeps a partial line for the next chunk", () => {
    const reader = new JsonlReader();
    expect(reader.push(Buffer.from('{"a":1}\n{"b":'))).toEqual(['{"a":1}']);
    expect(reader.bufferedBytes).toBe(5);
    expect(reader.push(Buffer.from('2}\n'))).toEqual(['{"b":2}']);
    expect(reader.end()).toEqual([]);
  });

  it("handles CRLF, including a CR and LF in different chunks", () => {
    const reader = new JsonlReader();
    expect(reader.push(Buffer.from("one\r\ntwo\r"))).toEqual(["one"]);
    expect(reader.push(Buffer.from("\nthree"))).toEqual(["two"]);
    expect(reader.end()).toEqual(["three"]);
  });

  it("skips empty lines", () => {
    expect(readAll([Buffer.from("\n\r\na\n\n\nb\n")]).lines).toEqual(["a", "b"]);
  });

  it("decodes a multi-byte character split across chunks", () => {
    const bytes = Buffer.from('{"t":"héllo ✓"}\n');
    const chunks = [bytes.subarray(0, 8), bytes.subarray(8, 17), bytes.subarray(17)];
    expect(readAll(chunks).lines).toEqual(['{"t":"héllo ✓"}']);
  });

  it("joins a multi-megabyte line made of many small chunks", () => {
    const line = "x".repeat(5 * 1024 * 1024);
    const bytes = Buffer.from(`${line}\nnext\n`);
    const chunks: Buffer[] = [];
    for (let start = 0; start < bytes.length; start += 65_536) chunks.push(bytes.subarray(start, start + 65_536));
    const { lines, reader } = readAll(chunks);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(line.length);
    expect(lines[1]).toBe("next");
    expect(reader.overflow).toBeNull();
  });

  it("accepts a line of exactly the cap, with or without CR", () => {
    expect(readAll([Buffer.from("abcd\nefgh\r\n")], 4).lines).toEqual(["abcd", "efgh"]);
    expect(readAll([Buffer.from("abc"), Buffer.from("d\r"), Buffer.from("\n")], 4).reader.overflow).toBeNull();
  });

  it("stops with an overflow past the cap instead of truncating", () => {
    const reader = new JsonlReader({ maxLineBytes: 10 });
    expect(reader.push(Buffer.from("short\n0123456789A"))).toEqual(["short"]);
    expect(reader.overflow).toEqual({ lineBytes: 11, maxLineBytes: 10 });
    expect(reader.bufferedBytes).toBe(0);
    expect(reader.push(Buffer.from("more\nlines\n"))).toEqual([]);
    expect(reader.end()).toEqual([]);
  });

  it("detects an overflowing line that arrives complete in one chunk", () => {
    const reader = new JsonlReader({ maxLineBytes: 3 });
    expect(reader.push(Buffer.from("ok\ntoo long\nafter\n"))).toEqual(["ok"]);
    expect(reader.overflow?.lineBytes).toBe(8);
  });

  it("any chunking of a valid stream yields the same lines", () => {
    const lineArb = fc
      .array(fc.oneof(fc.string(), fc.constantFrom("é", "✓", "😀", "\\", '"')), { maxLength: 8 })
      .map((parts) => JSON.stringify({ type: "text", text: parts.join("") }));
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        (lines, cuts, crlf, trailingNewline) => {
          const separator = crlf ? "\r\n" : "\n";
          const text = lines.join(separator) + (trailingNewline && lines.length > 0 ? separator : "");
          const bytes = Buffer.from(text);
          expect(readAll(cutAt(bytes, cuts)).lines).toEqual(lines);
          expect(readAll([bytes]).lines).toEqual(lines);
        },
      ),
    );
  });

  it("never throws on arbitrary bytes and matches a split-everything model", () => {
    // The model: split the whole stream on LF, drop one trailing CR per line, skip empty lines,
    // stop at the first line longer than the cap.
    const model = (bytes: Buffer, cap: number): { lines: string[]; overflow: boolean } => {
      const lines: string[] = [];
      let start = 0;
      while (start < bytes.length) {
        let end = bytes.indexOf(0x0a, start);
        const next = end === -1 ? bytes.length : end + 1;
        if (end === -1) end = bytes.length;
        if (end > start && bytes[end - 1] === 0x0d) end -= 1;
        if (end - start > cap) return { lines, overflow: true };
        if (end > start) lines.push(bytes.toString("utf8", start, end));
        start = next;
      }
      return { lines, overflow: false };
    };
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        (chunks, cap) => {
          const { lines, reader } = readAll(chunks, cap);
          const expected = model(Buffer.concat(chunks), cap);
          expect(lines).toEqual(expected.lines);
          expect(reader.overflow !== null).toBe(expected.overflow);
        },
      ),
    );
  });
});
