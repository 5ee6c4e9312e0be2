// Bounded copies of what a parser keeps as `raw`: the native line travels with every event, into
// stores, sockets and `asm run --json`, so it must always serialise with JSON.stringify. A value
// within the limits is kept as it is (no copy); one beyond them is copied with the excess cut
// and marked, and the cut is reported.

import { isNativeLine, type NativeLine } from "@asm/contract";

/** How much of a native value is kept as `raw`. */
export interface RawLimits {
  /** Containers nested deeper than this are replaced by a marker (JSON.stringify recurses). */
  maxDepth: number;
  /** Entries kept per array or object. */
  maxEntries: number;
  /** Values kept in total. */
  maxNodes: number;
  /** Characters of strings and keys kept in total; the string that crosses it is cut. */
  maxChars: number;
}

/** The limits parsers use unless told otherwise. */
export const DEFAULT_RAW_LIMITS: Readonly<RawLimits> = Object.freeze({
  maxDepth: 64,
  maxEntries: 10_000,
  maxNodes: 100_000,
  maxChars: 1_048_576,
});

/** What a bounded copy cut, counted by reason. */
export interface RawTruncation {
  /** Containers replaced because they were nested deeper than `maxDepth`. */
  depth: number;
  /** Arrays and objects cut to `maxEntries`. */
  entries: number;
  /** Values dropped once `maxNodes` was reached. */
  nodes: number;
  /** Strings and keys cut or dropped once `maxChars` was reached. */
  chars: number;
  /** Values JSON cannot carry (a bigint, a function, a cycle) replaced by a marker. */
  unsupported: number;
}

/** A bounded value and what was cut from it (`undefined` when nothing was). */
export interface BoundedRaw {
  value: unknown;
  truncation: RawTruncation | undefined;
}

/** The key under which a cut object records how many keys it lost. */
export const TRUNCATED_KEY = "[truncated]";

interface Walk {
  limits: RawLimits;
  nodes: number;
  chars: number;
  cut: RawTruncation;
  ancestors: Set<object>;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

// First pass: is the value within the limits as it is? Stops at the first excess. No cycle check:
// a cycle nests without end, so it fails the depth limit and the copy marks it. Its state is two
// counters, not a walk object: this pass runs on every event, the copy almost never.
interface Tally {
  nodes: number;
  chars: number;
}

function fits(value: unknown, depth: number, limits: RawLimits, tally: Tally): boolean {
  if (++tally.nodes > limits.maxNodes) return false;
  switch (typeof value) {
    case "string":
      tally.chars += value.length;
      return tally.chars <= limits.maxChars;
    case "number":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= limits.maxDepth) return hasToJson(value);
  if (Array.isArray(value)) {
    if (value.length > limits.maxEntries) return false;
    for (let index = 0; index < value.length; index += 1) if (!fits(value[index], depth + 1, limits, tally)) return false;
    return true;
  }
  if (hasToJson(value)) return true;
  let entries = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    entries += 1;
    tally.chars += key.length;
    if (entries > limits.maxEntries || tally.chars > limits.maxChars) return false;
    if (!fits((value as Record<string, unknown>)[key], depth + 1, limits, tally)) return false;
  }
  return true;
}

function cutString(text: string, walk: Walk): string {
  const room = walk.limits.maxChars - walk.chars;
  if (text.length <= room) {
    walk.chars += text.length;
    return text;
  }
  walk.cut.chars += 1;
  const kept = Math.max(0, room);
  walk.chars = walk.limits.maxChars;
  return `${text.slice(0, kept)}…[truncated ${text.length - kept} chars]`;
}

// Second pass: the copy, with markers where something was cut.
function copy(value: unknown, depth: number, walk: Walk): unknown {
  walk.nodes += 1;
  if (walk.nodes > walk.limits.maxNodes) {
    walk.cut.nodes += 1;
    return "[truncated: too many values]";
  }
  switch (typeof value) {
    case "string":
      return cutString(value, walk);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      walk.cut.unsupported += 1;
      return String(value);
    case "object":
      break;
    default:
      walk.cut.unsupported += 1;
      return `[unsupported: ${typeof value}]`;
  }
  if (value === null || hasToJson(value)) return value;
  if (walk.ancestors.has(value)) {
    walk.cut.unsupported += 1;
    return "[circular]";
  }
  if (depth >= walk.limits.maxDepth) {
    walk.cut.depth += 1;
    return `[truncated: nested deeper than ${walk.limits.maxDepth} levels]`;
  }
  walk.ancestors.add(value);
  let result: unknown;
  if (Array.isArray(value)) {
    const kept = value.slice(0, walk.limits.maxEntries).map((item) => copy(item, depth + 1, walk));
    if (value.length > walk.limits.maxEntries) {
      walk.cut.entries += 1;
      kept.push(`[truncated ${value.length - walk.limits.maxEntries} items]`);
    }
    result = kept;
  } else {
    const keys = Object.keys(value);
    const entries: Array<[string, unknown]> = [];
    for (const key of keys.slice(0, walk.limits.maxEntries)) {
      if (walk.chars + key.length > walk.limits.maxChars) {
        walk.cut.chars += 1;
        break;
      }
      walk.chars += key.length;
      entries.push([key, copy((value as Record<string, unknown>)[key], depth + 1, walk)]);
    }
    if (entries.length < keys.length) {
      if (keys.length > walk.limits.maxEntries) walk.cut.entries += 1;
      entries.push([TRUNCATED_KEY, `${keys.length - entries.length} more keys`]);
    }
    // Object.fromEntries defines own properties, so a `__proto__` key stays a plain key.
    result = Object.fromEntries(entries);
  }
  walk.ancestors.delete(value);
  return result;
}

function newWalk(limits: RawLimits): Walk {
  return { limits, nodes: 0, chars: 0, cut: { depth: 0, entries: 0, nodes: 0, chars: 0, unsupported: 0 }, ancestors: new Set() };
}

/**
 * `value` bounded by `limits` (defaults: {@link DEFAULT_RAW_LIMITS}): the value itself when it is
 * within them, else a copy with the excess replaced by markers (`"[truncated: …]"`, a string cut
 * with `…[truncated N chars]`, an object's lost keys counted under {@link TRUNCATED_KEY}), and
 * what was cut. The result always serialises with `JSON.stringify`. A `NativeLine` (a line kept
 * as text) stays as it is while its text is within the limits, else it is parsed and bounded.
 *
 * @example
 * ```ts
 * let deep: unknown = 0;
 * for (let i = 0; i < 2500; i += 1) deep = [deep];
 * const { value, truncation } = boundRaw(deep);
 * JSON.stringify(value); // fine; truncation.depth === 1
 * ```
 */
export function boundRaw(value: unknown, limits: Partial<RawLimits> = {}): BoundedRaw {
  const resolved: RawLimits = isComplete(limits) ? limits : { ...DEFAULT_RAW_LIMITS, ...limits };
  if (isNativeLine(value)) return boundLine(value, resolved);
  if (fits(value, 0, resolved, { nodes: 0, chars: 0 })) return { value, truncation: undefined };
  const walk = newWalk(resolved);
  return { value: copy(value, 0, walk), truncation: walk.cut };
}

// A line kept as text fits without being parsed when its text is within every count: each value,
// entry and character of the parsed line takes at least one character of the text. One beyond
// them is parsed and bounded as a value.
function boundLine(line: NativeLine, limits: RawLimits): BoundedRaw {
  const length = line.text.length;
  if (line.depth <= limits.maxDepth && length <= limits.maxChars && length <= limits.maxNodes && length <= limits.maxEntries) return { value: line, truncation: undefined };
  return boundRaw(line.value, limits);
}

// Limits with every field set are used as they are (no merged copy per call).
function isComplete(limits: Partial<RawLimits>): limits is RawLimits {
  return limits.maxDepth !== undefined && limits.maxEntries !== undefined && limits.maxNodes !== undefined && limits.maxChars !== undefined;
}

/**
 * A text bounded to `maxChars` characters (default {@link DEFAULT_RAW_LIMITS}`.maxChars`), cut
 * with a `…[truncated N chars]` marker.
 */
export function boundText(text: string, maxChars: number = DEFAULT_RAW_LIMITS.maxChars): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}…[truncated ${text.length - maxChars} chars]`;
}
