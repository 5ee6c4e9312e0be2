import { claudeProfile } from "@asm/claude";
import type { BackendEvent } from "@asm/contract";
import { boundRaw, createJsonLineParser, createParserEvents } from "@asm/provider-utils";
import type { BenchPreset } from "../presets.js";
import { median, ratio } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";

/** What is measured on the same lines, in this process, without a child or a pipe. */
const PARSER_VARIANTS = ["jsonParse", "boundRaw", "skeleton", "claude"] as const;

/** One way of reading the lines. */
type ParserVariant = (typeof PARSER_VARIANTS)[number];

/** One variant's figures (medians over the repeats). */
interface ParserSample {
  /** Time to read every line once. */
  ms: number;
  linesPerSecond: number;
  /** Events out (0 for the variants that make none). */
  events: number;
}

/** The parsers section: the provider parser path against `JSON.parse` alone, its physical limit. */
export interface ParsersReport {
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
  const times: Record<ParserVariant, number[]> = { jsonParse: [], boundRaw: [], skeleton: [], claude: [] };
  const events: Record<ParserVariant, number> = { jsonParse: 0, boundRaw: 0, skeleton: 0, claude: 0 };
  for (const variant of PARSER_VARIANTS) READERS[variant](lines.slice(0, 2_000)); // warm up the JIT
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const variant of PARSER_VARIANTS) {
      const start = performance.now();
      const produced = READERS[variant](lines);
      times[variant].push(performance.now() - start);
      events[variant] = variant === "jsonParse" || variant === "boundRaw" ? 0 : produced;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const sample = (variant: ParserVariant): ParserSample => {
    const ms = median(times[variant]);
    return { ms, linesPerSecond: (lines.length / ms) * 1000, events: events[variant] };
  };
  const variants = { jsonParse: sample("jsonParse"), boundRaw: sample("boundRaw"), skeleton: sample("skeleton"), claude: sample("claude") };
  log(`parsers: JSON.parse ${Math.round(variants.jsonParse.linesPerSecond)} lines/s, claude parser ${Math.round(variants.claude.linesPerSecond)} lines/s`);
  return {
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
