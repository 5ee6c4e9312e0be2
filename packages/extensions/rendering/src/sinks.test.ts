import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEvent } from "@asm/contract";
import { event, sampleRun } from "./__fixtures__/events.js";
import { callbackSink } from "./callback-sink.js";
import { compactRenderer } from "./compact-renderer.js";
import { fileSink } from "./file-sink.js";
import { jsonlSink } from "./jsonl-sink.js";
import { renderStream } from "./render-stream.js";
import { ttySink } from "./tty-sink.js";

function capture(isTTY?: boolean): PassThrough & { isTTY?: boolean; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; text(): string };
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  if (isTTY !== undefined) stream.isTTY = isTTY;
  stream.text = () => chunks.join("");
  return stream;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "asm-rendering-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("ttySink", () => {
  it("keeps colours on a terminal and strips them from a pipe", async () => {
    const terminal = capture(true);
    const pipe = capture(false);
    const previous = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const outcome = await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [ttySink({ stream: terminal }), ttySink({ stream: pipe })] });
      expect(outcome.ok).toBe(true);
    } finally {
      if (previous !== undefined) process.env.NO_COLOR = previous;
    }
    expect(terminal.text()).toContain("\u001b[");
    expect(pipe.text()).not.toContain("\u001b[");
    expect(pipe.text()).toContain("t+Bash");
  });

  it("honours an explicit stripAnsi and never closes the stream", async () => {
    const stream = capture(true);
    await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [ttySink({ stream, stripAnsi: true })] });
    expect(stream.text()).not.toContain("\u001b[");
    expect(stream.writableEnded).toBe(false);
  });
});

describe("fileSink", () => {
  it("writes plain text to a path, truncating unless append", async () => {
    const path = join(dir, "run.log");
    writeFileSync(path, "old content\n");
    await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [fileSink({ path })] });
    const first = readFileSync(path, "utf8");
    expect(first).not.toContain("old content");
    expect(first).not.toContain("\u001b[");
    expect(first).toContain("r-:end tk:32/17 $0.000468\n");
    await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [fileSink({ path, append: true })] });
    expect(readFileSync(path, "utf8")).toBe(first + first);
  });

  it("keeps ANSI codes with stripAnsi false", async () => {
    const path = join(dir, "colour.log");
    await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [fileSink({ path, stripAnsi: false })] });
    expect(readFileSync(path, "utf8")).toContain("\u001b[");
  });

  it("writes to a pre-opened stream and leaves it open", async () => {
    const stream = capture();
    await renderStream(sampleRun(), { renderer: compactRenderer(), sinks: [fileSink({ stream })] });
    expect(stream.text()).toContain("rc:completed");
    expect(stream.writableEnded).toBe(false);
  });

  it("reports a path it cannot open as config_invalid", async () => {
    const outcome = await renderStream(sampleRun(), { sinks: [fileSink({ path: join(dir, "missing", "run.log") })] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe("config_invalid");
    expect(outcome.eventCount).toBe(0);
  });

  it("refuses options without a path or stream", () => {
    expect(() => fileSink({} as never)).toThrow(/needs a path or a stream/);
  });
});

describe("jsonlSink", () => {
  it("writes the full envelope, one event per line, readable by parseEvent", async () => {
    const path = join(dir, "events.jsonl");
    const events = sampleRun();
    await renderStream(events, { sinks: [jsonlSink({ path })] });
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(events.length);
    const parsed = lines.map((line) => parseEvent(JSON.parse(line)));
    expect(parsed.map((e) => e.kind)).toEqual(events.map((e) => e.kind));
    expect(parsed[4]).toMatchObject({ kind: "tool_use", payload: { toolName: "Bash", input: { command: "echo hi" } }, id: events[4]!.id });
  });

  it("writes compact lines with short kind codes", async () => {
    const stream = capture();
    const events = sampleRun();
    await renderStream(events, { sinks: [jsonlSink({ stream, mode: "compact" })] });
    const lines = stream.text().trimEnd().split("\n").map((line) => JSON.parse(line) as { t: number; e: { k: string; s: number; r: string; id: string; p: unknown } });
    expect(lines.map((line) => line.e.k)).toEqual(["rs", "ad", "ad", "am", "tu", "tr", "am", "cost_update", "re", "rc"]);
    expect(lines[0]!.t).toBe(Date.parse("2025-01-02T03:04:05.000Z"));
    expect(lines[4]!.e).toMatchObject({ id: events[4]!.id, s: events[4]!.sequence, r: "run-1", p: { toolName: "Bash" } });
  });

  it("keeps values JSON cannot hold from breaking a line", async () => {
    const stream = capture();
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const e = event("raw", { stream: "sdk", content: { cyclic, big: 10n } });
    await renderStream([e], { sinks: [jsonlSink({ stream })] });
    const line = JSON.parse(stream.text()) as { payload: { content: { cyclic: { self: unknown }; big: string } } };
    expect(line.payload.content.cyclic.self).toBe("[Circular]");
    expect(line.payload.content.big).toBe("10");
  });

  it("writes a value shared by the payload and raw twice, not as a cycle", async () => {
    const stream = capture();
    const nativeLine = { type: "brand_new", text: "kept" };
    const e = { ...event("raw", { stream: "stdout", content: nativeLine }), raw: nativeLine };
    await renderStream([e], { sinks: [jsonlSink({ stream })] });
    const line = JSON.parse(stream.text()) as { payload: { content: unknown }; raw: unknown };
    expect(line.payload.content).toEqual(nativeLine);
    expect(line.raw).toEqual(nativeLine);
  });
});

describe("callbackSink", () => {
  it("receives every event with its text, then the footer with a null event", async () => {
    const calls: Array<[string | null, string]> = [];
    await renderStream(sampleRun(), {
      renderer: compactRenderer({ color: false }),
      sinks: [callbackSink((e, text) => void calls.push([e?.kind ?? null, text]))],
    });
    expect(calls).toHaveLength(11);
    expect(calls[4]).toEqual(["tool_use", "\nt+Bash {\"command\":\"echo hi\"}\n"]);
    expect(calls[10]).toEqual([null, "10 events, 1 tools\n"]);
  });

  it("requires a function", () => {
    expect(() => callbackSink("nope" as never)).toThrow(/needs a function/);
  });
});
