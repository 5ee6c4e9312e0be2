import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { JsonlOverflow } from "./jsonl-reader.js";
import { OutputPump } from "./output-pump.js";

function pumpOf(options: { maxLineBytes?: number; stderrTailBytes?: number; onLine?: (text: string, pump: OutputPump) => void } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const seen = { lines: [] as string[], stderr: [] as string[], overflows: [] as JsonlOverflow[], outputs: 0, ended: 0 };
  const pump = new OutputPump(stdout, stderr, { maxLineBytes: options.maxLineBytes ?? 1024, stderrTailBytes: options.stderrTailBytes ?? 64 }, {
    output: () => void (seen.outputs += 1),
    line: (text) => {
      seen.lines.push(text);
      options.onLine?.(text, pump);
    },
    stderr: (text) => void seen.stderr.push(text),
    overflow: (overflow) => void seen.overflows.push(overflow),
    ended: () => void (seen.ended += 1),
  });
  pump.attach();
  return { pump, stdout, stderr, seen };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("OutputPump", () => {
  it("frames stdout into lines across chunks, decodes stderr across chunks, and reports the end once", async () => {
    const { pump, stdout, stderr, seen } = pumpOf();
    stdout.write('{"a":1}\n{"b"');
    stdout.write(":2}\r\nlast");
    const euro = Buffer.from("€ok");
    stderr.write(euro.subarray(0, 1));
    stderr.write(euro.subarray(1));
    await tick();
    expect(seen.lines).toEqual(['{"a":1}', '{"b":2}']);
    stdout.end();
    await tick();
    expect(seen.lines).toEqual(['{"a":1}', '{"b":2}', "last"]);
    expect(seen.ended).toBe(0);
    stderr.end();
    await tick();
    expect(seen.stderr.join("")).toBe("€ok");
    expect(pump.stderrTail()).toBe("€ok");
    expect(seen.ended).toBe(1);
    expect(pump.isEnded).toBe(true);
    expect(seen.outputs).toBeGreaterThanOrEqual(4);
  });

  it("hands stderr on in whole lines, and cuts an over-long line only at whitespace, so no token is split", async () => {
    const { stderr, seen } = pumpOf();
    stderr.write("first line\nkey=sk-abc");
    stderr.write("def0123456789xyz\nno newline yet");
    await tick();
    expect(seen.stderr).toEqual(["first line\n", "key=sk-abcdef0123456789xyz\n"]);
    const token = "T".repeat(40);
    stderr.write(`${"w ".repeat(9_000)}${token.slice(0, 20)}`);
    stderr.write(`${token.slice(20)} tail`);
    stderr.end();
    await tick();
    expect(seen.stderr.join("")).toBe(`first line\nkey=sk-abcdef0123456789xyz\nno newline yet${"w ".repeat(9_000)}${token} tail`);
    expect(seen.stderr.filter((text) => text.includes(token))).toHaveLength(1);
    expect(seen.stderr.length).toBeGreaterThan(3);
  });

  it("stops delivering lines once told to discard, even mid-chunk", async () => {
    const { stdout, seen } = pumpOf({ onLine: (text, pump) => text === "outcome" && pump.discard() });
    stdout.write("one\noutcome\nafter\n");
    stdout.write("more\n");
    stdout.end();
    await tick();
    expect(seen.lines).toEqual(["one", "outcome"]);
  });

  it("reports an oversized line instead of delivering a truncated one", async () => {
    const { stdout, seen } = pumpOf({ maxLineBytes: 8 });
    stdout.write("0123456789abcdef");
    await tick();
    expect(seen.lines).toEqual([]);
    expect(seen.overflows[0]).toMatchObject({ maxLineBytes: 8 });
  });

  it("pauses and resumes both streams", async () => {
    const { pump, stdout, seen } = pumpOf();
    pump.pause();
    expect(pump.isPaused).toBe(true);
    stdout.write("held\n");
    await tick();
    expect(seen.lines).toEqual([]);
    pump.resume();
    await tick();
    expect(seen.lines).toEqual(["held"]);
  });

  it("ends both streams on demand, keeping what was framed", async () => {
    const { pump, stdout, seen } = pumpOf();
    stdout.write("partial");
    await tick();
    pump.forceEnd();
    expect(seen.lines).toEqual(["partial"]);
    expect(seen.ended).toBe(1);
    expect(stdout.destroyed).toBe(true);
  });
});
