import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// Which native fields a provider parser reads, checked against what the CLIs really print: every
// event type and field path of a recorded transcript must be declared as mapped or as ignored, so
// new CLI output cannot pass unnoticed as `raw`.

/** The JSON type of one value, as a shape records it. */
export type JsonType = "string" | "number" | "boolean" | "null" | "object" | "array";

/**
 * The shape of one JSON value: every field path under it with the JSON types seen there.
 * Paths use `.` for object keys and `[]` for array elements; an array element that is an object
 * with a string `type` is named by it (`message.content[text].text`), so a new block type shows
 * as a new path even when its fields have familiar names. The root has the path `""`.
 */
export type JsonShape = Map<string, Set<JsonType>>;

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" ? type : "object";
}

// Deep enough for every real line; deeper values (a tool's own input or output) count as one field.
const MAX_DEPTH = 12;

function addShape(shape: JsonShape, path: string, value: unknown, depth: number): void {
  const type = jsonTypeOf(value);
  let types = shape.get(path);
  if (types === undefined) {
    types = new Set();
    shape.set(path, types);
  }
  types.add(type);
  if (depth >= MAX_DEPTH) return;
  if (type === "array") {
    for (const element of value as unknown[]) {
      const tag = typeof element === "object" && element !== null && !Array.isArray(element) ? (element as Record<string, unknown>)["type"] : undefined;
      addShape(shape, `${path}[${typeof tag === "string" ? tag : ""}]`, element, depth + 1);
    }
  } else if (type === "object") {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      addShape(shape, path === "" ? key : `${path}.${key}`, child, depth + 1);
    }
  }
}

/** Adds the shape of `value` to `shape` (a new one when omitted) and returns it. */
export function jsonShape(value: unknown, shape: JsonShape = new Map()): JsonShape {
  addShape(shape, "", value, 0);
  return shape;
}

/**
 * What one provider's parser does with the CLI's native lines, per event key: the field paths it
 * reads (`mapped`) and those it knowingly leaves alone (`ignored`). A path ending in `.*` (or `*`
 * alone) covers that path and everything under it, for values whose keys are data (model names,
 * a tool's own input) or subtrees passed on whole.
 */
export interface FieldCoverage {
  /** The event key of one native line (`system/init`, `item.completed/agent_message`). */
  eventKey(line: Record<string, unknown>): string;
  /** Field paths the parser maps, per event key. */
  mapped: Readonly<Record<string, readonly string[]>>;
  /** Field paths the parser does not map on purpose, per event key. */
  ignored: Readonly<Record<string, readonly string[]>>;
}

/** One field (or, with `path` `""`, one event key) that a coverage declaration does not name. */
export interface UncoveredField {
  eventKey: string;
  path: string;
  types: JsonType[];
}

function covers(patterns: readonly string[], path: string): boolean {
  for (const pattern of patterns) {
    if (pattern === path || pattern === "*") return true;
    // An empty object or array whose fields the declaration names elsewhere.
    if (pattern.startsWith(`${path}.`) || pattern.startsWith(`${path}[`)) return true;
    if (pattern.endsWith(".*")) {
      const base = pattern.slice(0, -2);
      if (path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`)) return true;
    }
  }
  return false;
}

/** The path one level up (`a.b` → `a`, `a[x].c` → `a[x]`, `a[x]` → `a`, `a` → `""`). */
function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.endsWith("]") ? path.lastIndexOf("[") : -1);
  return cut <= 0 ? "" : path.slice(0, cut);
}

/**
 * The paths a declaration must name: every path except the root and containers that have fields
 * of their own (an object or array is implied by its fields; an empty one seen alone is a leaf).
 */
export function leafPaths(shape: JsonShape): string[] {
  const parents = new Set<string>();
  for (const path of shape.keys()) if (path !== "") parents.add(parentOf(path));
  const out: string[] = [];
  for (const [path, types] of shape) {
    if (path === "") continue;
    const onlyContainer = [...types].every((type) => type === "object" || type === "array");
    if (onlyContainer && parents.has(path)) continue;
    out.push(path);
  }
  return out.sort();
}

/** Every path a declaration names for `eventKey`, mapped and ignored together. */
function declared(coverage: FieldCoverage, eventKey: string): readonly string[] | undefined {
  const mapped = coverage.mapped[eventKey];
  const ignored = coverage.ignored[eventKey];
  if (mapped === undefined && ignored === undefined) return undefined;
  return [...(mapped ?? []), ...(ignored ?? [])];
}

/**
 * The event keys and field paths of `lines` (parsed JSON lines; non-objects are skipped, they are
 * not events) that `coverage` neither maps nor ignores, sorted by key then path.
 *
 * @example
 * ```ts
 * const lines = linesOf(transcript.stdout).map((line) => JSON.parse(line));
 * expect(uncoveredFields(lines, claudeFieldCoverage)).toEqual([]);
 * ```
 */
export function uncoveredFields(lines: Iterable<unknown>, coverage: FieldCoverage): UncoveredField[] {
  const shapes = new Map<string, JsonShape>();
  for (const line of lines) {
    if (typeof line !== "object" || line === null || Array.isArray(line)) continue;
    const key = coverage.eventKey(line as Record<string, unknown>);
    shapes.set(key, jsonShape(line, shapes.get(key)));
  }
  const out: UncoveredField[] = [];
  for (const [eventKey, shape] of shapes) {
    const names = declared(coverage, eventKey);
    if (names === undefined) {
      out.push({ eventKey, path: "", types: ["object"] });
      continue;
    }
    for (const path of leafPaths(shape)) {
      const types = shape.get(path) ?? new Set<JsonType>();
      if (covers(names, path)) continue;
      out.push({ eventKey, path, types: [...types].sort() });
    }
  }
  return out.sort((a, b) => (a.eventKey === b.eventKey ? a.path.localeCompare(b.path) : a.eventKey.localeCompare(b.eventKey)));
}

/** The JSON lines of one recorded stdout file (`<name>.jsonl`), for {@link uncoveredFields}. */
export interface RecordedStdout {
  /** The file's path relative to the folder it was found under (`recorded/partial.jsonl`). */
  file: string;
  /** Every stdout line that is JSON, parsed; other lines are left out (they are not events). */
  lines: unknown[];
}

function parsedOrSkip(line: string): unknown[] {
  try {
    return [JSON.parse(line) as unknown];
  } catch (_error) {
    return [];
  }
}

/**
 * Every recorded stdout under `folder` (recursively): each `*.jsonl` except `*.stdin.jsonl` (what
 * was written to the CLI, not what it printed), skipping the sub-folders named in `skip`, sorted
 * by path.
 */
export function recordedStdoutUnder(folder: string | URL, skip: readonly string[] = []): RecordedStdout[] {
  const root = folder instanceof URL ? fileURLToPath(folder) : folder;
  const out: RecordedStdout[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(entry.name)) walk(path);
      } else if (entry.name.endsWith(".jsonl") && !entry.name.endsWith(".stdin.jsonl")) {
        const lines = readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "").flatMap(parsedOrSkip);
        out.push({ file: relative(root, path), lines });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
