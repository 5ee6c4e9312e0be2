import { claudeProfile } from "@asm/claude";
import { codexProfile } from "@asm/codex";
import { geminiProfile } from "@asm/gemini";
import type { BackendEvent } from "@asm/contract";
import { boundRaw, createJsonLineParser, createParserEvents } from "@asm/provider-utils";
import type { BenchPreset } from "../presets.js";
import { median, ratio } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";
import { recordedStream } from "../stream/recorded-stream.js";

/** One way of reading the lines: what is measured on the same lines, in this process, without a child or a pipe. */
type ParserVariant = "jsonParse" | "boundRaw" | "skeleton" | "claude";

/** One variant's figures (medians over the repeats). */
interface ParserSample {
  /** Time to read every line once. */
  ms: number;
  linesPerSecond: number;
  /** Events out (0 for the variants that make none). */
  events: number;
}

/** Another provider's parser on its own recorded shapes, against `JSON.parse` of the same lines. */
interface ProviderParserSample {
  provider: "codex" | "gemini";
  /** The recorded transcript stretched to the stream's length (`__fixtures__`). */
  fixture: string;
  lines: number;
  bytes: number;
  jsonParse: ParserSample;
  parser: ParserSample;
  /** The provider's parser ÷ `JSON.parse` alone (lines/s). */
  parserToParse: number;
}

/** The parsers section: the provider parser path against `JSON.parse` alone, its physical limit. */
export interface ParsersReport {
  /** Codex and Gemini parsers on their own recorded shapes. */
  providers: ProviderParserSample[];
  lines: number;
  bytes: number;
  repeats: number;
  variants: Record<ParserVariant, ParserSample>;
  ratios: {
    /** `JSON.parse` + bounding each value as `raw` ÷ `JSON.parse` alone (time). */
    boundRawCost: number;
    /** The JSON-line skeleton with one trivial handler ÷ `JSON.parse` alone (lines/s). */
    skeletonToParse: number;
    /** The whole Claude parser ÷ `JSON.parse` alone (lines/s). */
    claudeToParse: number;
  };
}

type Reader = (lines: readonly string[]) => number;

// Each reader returns how many events (or values) it produced, so no work can be optimized away.
const READERS: Record<ParserVariant, Reader> = {
  jsonParse(lines) {
    let values = 0;
    for (const line of lines) if (JSON.parse(line) !== undefined) values += 1;
    return values;
  },
  boundRaw(lines) {
    let values = 0;
    for (const line of lines) if (boundRaw(JSON.parse(line)).value !== undefined) values += 1;
    return values;
  },
  skeleton(lines) {
    const events = createParserEvents();
    const handler = (line: Record<string, unknown>): BackendEvent[] => [events.raw(line)];
    const parser = createJsonLineParser({
      cliName: "bench",
      events,
      handlers: { system: handler, assistant: handler, user: handler, stream_event: handler, result: handler },
      stderr: () => [],
      exit: () => [],
    });
    let count = 0;
    for (const line of lines) count += parser.line(line).length;
    return count;
  },
  claude(lines) {
    const parser = claudeProfile.createParser({ provider: "claude", reply: () => undefined });
    let count = 0;
    for (const line of lines) count += parser.line(line).length;
    return count;
  },
};

/**
 * Reads the throughput benchmark's Claude stream line by line, in this process: with `JSON.parse`
 * alone (the limit), with each value also bounded as `raw` would be, through the JSON-line
 * skeleton of `@asm/provider-utils` with one trivial handler, and through the whole Claude parser.
 * Variants alternate within each repeat so that load on the machine hits them alike.
 */
export async function benchParsers(preset: BenchPreset, log: (line: string) => void): Promise<ParsersReport> {
  const set = buildLineSet({ lines: preset.throughput.lines });
  const lines = set.text.split("\n").filter((line) => line !== "");
  const repeats = Math.max(preset.throughput.repeats, 3);
  const variants = await timeReaders(READERS, lines, repeats, new Set<ParserVariant>(["skeleton", "claude"]));
  log(`parsers: JSON.parse ${Math.round(variants.jsonParse.linesPerSecond)} lines/s, claude parser ${Math.round(variants.claude.linesPerSecond)} lines/s`);
  const providers = [await otherProvider("codex", "codex-tool.jsonl", lines.length, repeats), await otherProvider("gemini", "gemini-tool.jsonl", lines.length, repeats)];
  for (const sample of providers) log(`parsers: ${sample.provider} parser ${sample.parserToParse.toFixed(2)} × JSON.parse`);
  return {
    providers,
    lines: lines.length,
    bytes: set.bytes,
    repeats,
    variants,
    ratios: {
      boundRawCost: ratio(variants.boundRaw.ms, variants.jsonParse.ms),
      skeletonToParse: ratio(variants.skeleton.linesPerSecond, variants.jsonParse.linesPerSecond),
      claudeToParse: ratio(variants.claude.linesPerSecond, variants.jsonParse.linesPerSecond),
    },
  };
}

/**
 * Each reader over `lines`, once to warm up the JIT and then `repeats` times, alternating within
 * each repeat so that load on the machine hits them alike; medians. `makesEvents`: the readers
 * whose count is events (the others count parsed values, reported as 0 events).
 */
async function timeReaders<K extends string>(readers: Record<K, Reader>, lines: readonly string[], repeats: number, makesEvents: ReadonlySet<K>): Promise<Record<K, ParserSample>> {
  const names = Object.keys(readers) as K[];
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  const produced = new Map<K, number>();
  for (const name of names) readers[name](lines.slice(0, 2_000));
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const name of names) {
      const start = performance.now();
      produced.set(name, readers[name](lines));
      times.get(name)?.push(performance.now() - start);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const samples = {} as Record<K, ParserSample>;
  for (const name of names) {
    const ms = median(times.get(name) ?? []);
    samples[name] = { ms, linesPerSecond: (lines.length / ms) * 1000, events: makesEvents.has(name) ? (produced.get(name) ?? 0) : 0 };
  }
  return samples;
}

const OTHER_PROFILES = { codex: codexProfile, gemini: geminiProfile } as const;

/** `JSON.parse` and the provider's parser, alternating, on the provider's recorded lines stretched to `count`. */
async function otherProvider(provider: "codex" | "gemini", fixture: string, count: number, repeats: number): Promise<ProviderParserSample> {
  const stream = recordedStream(fixture, count);
  const readers: Record<"jsonParse" | "parser", Reader> = {
    jsonParse: READERS.jsonParse,
    parser(lines) {
      const parser = OTHER_PROFILES[provider].createParser({ provider, reply: () => undefined });
      let produced = 0;
      for (const line of lines) produced += parser.line(line).length;
      return produced;
    },
  };
  const { jsonParse, parser } = await timeReaders(readers, stream.lines, repeats, new Set<"jsonParse" | "parser">(["parser"]));
  return { provider, fixture, lines: stream.lines.length, bytes: stream.bytes, jsonParse, parser, parserToParse: ratio(parser.linesPerSecond, jsonParse.linesPerSecond) };
}
