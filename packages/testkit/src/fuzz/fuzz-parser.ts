// The hostile-input check every provider parser runs: fed any sequence of lines, chunks of
// stderr and an exit, a parser never throws, every event it emits is a valid contract event that
// serialises with JSON.stringify, and the exit leaves exactly one outcome.
import { EVENT_KINDS, isOutcomeEvent, payloadSchemas, type BackendEvent, type ProfileParser } from "@asm/contract";
import fc from "fast-check";
import { hugeValue, mutatedLine, nonObjectLine, regressionLines, typedHostileLine } from "./hostile-values.js";

/** What {@link fuzzParser} needs to know about one parser. */
export interface FuzzParserOptions {
  /** A fresh parser per run. */
  createParser: () => ProfileParser;
  /** Real lines (recorded transcripts) to mutate and to mix in unchanged. */
  lines: readonly string[];
  /** The native line types the parser knows (each gets lines with hostile fields). */
  types: readonly string[];
  /** Field names the parser reads, to fill with hostile values. */
  fields: readonly string[];
  /** Extra line arbitraries (a provider's own envelope shapes). */
  extraLines?: ReadonlyArray<fc.Arbitrary<string>>;
  /** Runs (default: `ASM_FUZZ_RUNS` from the environment, else 20,000). */
  numRuns?: number;
  /** Most lines fed per run (default 8). */
  maxLines?: number;
  /** fast-check seed, to replay a failure. */
  seed?: number;
}

/** What a fuzz campaign saw. */
export interface FuzzReport {
  runs: number;
  lines: number;
  events: number;
  /** Largest event, in JSON characters. */
  largestEventChars: number;
  /** Time spent in the parser and in checking its events (the rest is generating input), ms. */
  parserMs: number;
  checkMs: number;
}

const KINDS = new Set<string>(EVENT_KINDS);
/** An event larger than this in JSON fails: raw and payload text are bounded well below it. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;
/**
 * An event nested deeper than this fails. JSON.stringify itself copes with a few thousand levels,
 * but every consumer that walks an event recursively (renderers, redaction, stores) must not
 * have to: raw is cut at 64 levels, and a payload at no more than this.
 */
const MAX_EVENT_DEPTH = 200;

// Without recursion: the value under test may be nested far deeper than the stack allows.
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_EVENT_DEPTH) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function check(event: BackendEvent, report: FuzzReport): void {
  if (!KINDS.has(event.kind)) throw new Error(`unknown event kind ${JSON.stringify(event.kind)}`);
  const parsed = payloadSchemas[event.kind].safeParse(event.payload);
  if (!parsed.success) throw new Error(`invalid ${event.kind} payload: ${parsed.error.message.slice(0, 2000)}`);
  const depth = depthOf(event);
  if (depth > MAX_EVENT_DEPTH) throw new Error(`${event.kind} event is nested more than ${MAX_EVENT_DEPTH} levels deep`);
  let text: string;
  try {
    text = JSON.stringify(event);
  } catch (error) {
    throw new Error(`${event.kind} event does not serialise: ${error instanceof Error ? error.message : "?"}`);
  }
  if (text.length > MAX_EVENT_CHARS) throw new Error(`${event.kind} event is ${text.length} characters of JSON`);
  report.largestEventChars = Math.max(report.largestEventChars, text.length);
  report.events += 1;
}

/** Default run count: `ASM_FUZZ_RUNS` when set (the `pnpm fuzz` campaign), else 20,000. */
export function fuzzRuns(fallback = 20_000): number {
  const fromEnv = Number(process.env["ASM_FUZZ_RUNS"]);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/**
 * Feeds `numRuns` random sequences of hostile lines (recorded lines with one value or key
 * changed, lines of known types with hostile fields, non-object and non-JSON lines, recorded
 * lines unchanged), stderr and an exit to fresh parsers. Throws, with fast-check's
 * counterexample, when a parser throws, emits an event of an unknown kind, a payload its
 * schema rejects, an event `JSON.stringify` cannot write, or ends with other than exactly one
 * outcome.
 *
 * @example
 * ```ts
 * const report = fuzzParser({ createParser: () => createCodexParser(ctx), lines, types: ["item.completed"], fields: ["item"] });
 * report.lines; // ≥ 100,000
 * ```
 */
export function fuzzParser(options: FuzzParserOptions): FuzzReport {
  const report: FuzzReport = { runs: 0, lines: 0, events: 0, largestEventChars: 0, parserMs: 0, checkMs: 0 };
  const recorded = options.lines.length > 0 ? [fc.constantFrom(...options.lines)] : [];
  const line = fc.oneof(
    // Weights per 100 lines: a huge value (the costliest to generate and check) in about one.
    { weight: 40, arbitrary: mutatedLine(options.lines) },
    { weight: 1, arbitrary: mutatedLine(options.lines, hugeValue) },
    { weight: 25, arbitrary: typedHostileLine(options.types, options.fields) },
    { weight: 6, arbitrary: nonObjectLine },
    ...recorded.map((arbitrary) => ({ weight: 16, arbitrary })),
    ...(options.extraLines ?? []).map((arbitrary) => ({ weight: 12, arbitrary })),
  );
  const exit = fc.record({
    exitCode: fc.option(fc.constantFrom(0, 1, 2, 130, 137, 255), { nil: null }),
    signal: fc.option(fc.constantFrom("SIGINT", "SIGTERM", "SIGKILL"), { nil: null }),
    stderr: fc.oneof(fc.constant(""), fc.string({ maxLength: 200 }), fc.constantFrom("401 Unauthorized", "Error: 500", '{"error":{"code":401}}')),
  });
  // The known-bad lines first, each alone and all in one run.
  const fixed = regressionLines(options.types, options.fields);
  for (const text of fixed) runOne([text], { exitCode: 1, signal: null, stderr: "" });
  runOne(fixed, { exitCode: 0, signal: null, stderr: "" });
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: options.maxLines ?? 8 }), exit, (lines, info) => runOne(lines, info)),
    // No shrinking: the hostile values are large, and the first counterexample already names the line.
    { numRuns: options.numRuns ?? fuzzRuns(), endOnFailure: true, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
  return report;

  function runOne(lines: readonly string[], info: { exitCode: number | null; signal: string | null; stderr: string }): void {
      report.runs += 1;
      const started = performance.now();
      const parser = options.createParser();
      const events: BackendEvent[] = [];
      for (const text of lines) {
        report.lines += 1;
        events.push(...parser.line(text));
      }
      events.push(...parser.stderr(info.stderr));
      const outcomeSeen = events.some(isOutcomeEvent);
      events.push(...parser.exit({ exitCode: info.exitCode, signal: info.signal, stderrTail: info.stderr, outcomeSeen }));
      const parsed = performance.now();
      report.parserMs += parsed - started;
      for (const event of events) check(event, report);
      report.checkMs += performance.now() - parsed;
      const outcomes = events.filter(isOutcomeEvent).length;
      if (outcomes !== 1) throw new Error(`${outcomes} outcomes after exit`);
  }
}
