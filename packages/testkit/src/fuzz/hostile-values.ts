// Values a hostile or broken CLI can print, as fast-check arbitraries. Each targets a way a parser
// has failed before: a `toString` that is not callable, keys that name members of
// `Object.prototype`, numbers outside the safe-integer range, nesting deep enough to overflow a
// recursive walk, and very long strings.
import fc from "fast-check";

/** Strings that name members of `Object.prototype` or look like them. */
export const PROTO_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "prototype"] as const;

/** Nesting depth of the deepest generated value (deeper than any recursive walk should go). */
export const HOSTILE_DEPTH = 2_500;

/** `[[[ … value … ]]]` or `{"a":{"a": … }}`, `depth` levels deep, as JSON text. */
export function nestedJson(depth: number, object: boolean, leaf = "0"): string {
  return object ? `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}` : `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`;
}

/** An object whose own key is `key` (`__proto__` included: `Object.fromEntries` defines it). */
function own(key: string, value: unknown): Record<string, unknown> {
  return Object.fromEntries([[key, value]]);
}

const hostileNumber = fc.constantFrom(
  2 ** 53,
  2 ** 53 + 2,
  2 ** 64,
  1e300,
  Number.MAX_VALUE,
  -1,
  -(2 ** 53),
  0.5,
  -0,
  1e-300,
  4294967301,
);

const hostileString = fc.oneof(
  fc.constantFrom(...PROTO_KEYS),
  fc.constantFrom("", " ", "\u0000", "\ud800", "null", "undefined", "NaN", "-1", "9007199254740993", "1e400"),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

/** Values large in one dimension: long strings, wide arrays and objects, deep nesting. */
export const hugeValue: fc.Arbitrary<unknown> = fc.oneof(
  // Past the 1 MiB raw limit only now and then: such lines are costly to generate and check.
  fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 10_000, max: 100_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1_048_577, max: 1_200_000 }) }).map((length) => "x".repeat(length)),
  fc.integer({ min: 100, max: HOSTILE_DEPTH }).chain((depth) => fc.boolean().map((object) => JSON.parse(nestedJson(depth, object)) as unknown)),
  fc.integer({ min: 1_000, max: 12_000 }).map((count) => Array.from({ length: count }, (_unused, index) => index)),
  fc.integer({ min: 1_000, max: 12_000 }).map((count) => Object.fromEntries(Array.from({ length: count }, (_unused, index) => [`k${index}`, index]))),
);

/** One hostile value, parsed-JSON shaped (what `JSON.parse` can give), small enough to be cheap. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileNumber },
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, [], {}) },
  { weight: 4, arbitrary: fc.constantFrom(...PROTO_KEYS).chain((key) => fc.oneof(hostileNumber, hostileString, fc.constant({}), fc.constant(null)).map((value) => own(key, value))) },
  { weight: 1, arbitrary: fc.json({ depthSize: "small", maxDepth: 2 }).map((text) => JSON.parse(text) as unknown) },
);

/** Path to a value inside a parsed JSON line. */
type Path = Array<string | number>;

function paths(value: unknown, prefix: Path, out: Path[], depth: number): void {
  out.push(prefix);
  if (depth > 8 || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    value.slice(0, 20).forEach((item, index) => paths(item, [...prefix, index], out, depth + 1));
  } else {
    for (const key of Object.keys(value).slice(0, 40)) paths((value as Record<string, unknown>)[key], [...prefix, key], out, depth + 1);
  }
}

function replaceAt(value: unknown, path: Path, replacement: unknown, addKey: string | undefined): unknown {
  if (path.length === 0) {
    if (addKey !== undefined && typeof value === "object" && value !== null && !Array.isArray(value)) return { ...value, ...own(addKey, replacement) };
    return replacement;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) return (value as unknown[]).map((item, index) => (index === head ? replaceAt(item, rest, replacement, addKey) : item));
  if (typeof value !== "object" || value === null) return value;
  const copy = { ...(value as Record<string, unknown>) };
  copy[head as string] = replaceAt(copy[head as string], rest, replacement, addKey);
  return copy;
}

/**
 * A recorded JSON line with one hostile change: a value somewhere inside replaced by a hostile
 * one, or a key added (a `Object.prototype` member name or a field the line already has
 * elsewhere). Lines that are not JSON objects come back unchanged.
 */
export function mutatedLine(lines: readonly string[], replacements: fc.Arbitrary<unknown> = hostileValue): fc.Arbitrary<string> {
  const parsed = lines.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== "object" || value === null) return [];
      const found: Path[] = [];
      paths(value, [], found, 0);
      return [{ value, paths: found }];
    } catch (_error) {
      return [];
    }
  });
  if (parsed.length === 0) return fc.constant("{}");
  return fc
    .record({
      line: fc.constantFrom(...parsed),
      pick: fc.nat(),
      replacement: replacements,
      addKey: fc.option(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constantFrom("type", "id", "usage", "error", "message", "item", "content", "subtype", "session_id")), { freq: 3, nil: undefined }),
    })
    .map(({ line, pick, replacement, addKey }) => JSON.stringify(replaceAt(line.value, line.paths[pick % line.paths.length]!, replacement, addKey)));
}

/** A JSON line of one of `types`, its other fields hostile. */
export function typedHostileLine(types: readonly string[], fields: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      type: fc.constantFrom(...types),
      entries: fc.array(fc.tuple(fc.constantFrom(...fields, ...PROTO_KEYS), hostileValue), { maxLength: 6 }),
    })
    .map(({ type, entries }) => JSON.stringify({ type, ...Object.fromEntries(entries) }));
}

/** A line that is not a JSON object: text, broken JSON, a deep array, a bare value. */
export const nonObjectLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom("{", "}", "[", '{"type":', "null", "1e999", '"__proto__"', "[]", "true"),
  fc.integer({ min: 100, max: HOSTILE_DEPTH }).map((depth) => nestedJson(depth, false)),
  fc.integer({ min: 100, max: HOSTILE_DEPTH }).map((depth) => `{"type":"x","deep":${nestedJson(depth, true)}}`),
);

/**
 * Fixed lines every fuzz campaign starts with, one per known type: the failures seen in the wild
 * (a 5 KB line nested 2,500 deep, a `toString` that is not callable, `__proto__` and
 * `constructor` as values, token counts of 2^53 and more).
 */
export function regressionLines(types: readonly string[], fields: readonly string[]): string[] {
  const poison = { toString: 1, valueOf: {} };
  const lines: string[] = [];
  for (const type of types) {
    lines.push(`{"type":${JSON.stringify(type)},"deep":${nestedJson(HOSTILE_DEPTH, false)}}`);
    for (const field of fields) {
      lines.push(`{"type":${JSON.stringify(type)},${JSON.stringify(field)}:${nestedJson(HOSTILE_DEPTH, true)}}`);
      const values: unknown[] = [poison, "__proto__", "constructor", 2 ** 53, 1e300, -1, Object.fromEntries([["__proto__", 1], ["constructor", "x"]])];
      for (const value of values) {
        lines.push(JSON.stringify({ type, [field]: value }));
      }
      lines.push(JSON.stringify({ type, [field]: { id: poison, type: "constructor", input_tokens: 2 ** 53, output_tokens: 1e300, code: "__proto__" } }));
    }
  }
  return lines;
}
