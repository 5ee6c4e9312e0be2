import type { EventKind } from "./event-kinds.js";

// Hand-written checks for the payload kinds that make up almost every event of a stream (text
// deltas, passed-through lines, stderr chunks). Each accepts exactly what the kind's zod schema
// in `payloads.ts` accepts for the shapes it handles and returns the same output (same keys, same
// order, the defaults applied); any shape it is not sure of returns `undefined`, and the caller
// runs the schema. `payload-fast-paths.test.ts` checks the two agree, value by value.

type FastPath = (payload: unknown) => Record<string, unknown> | undefined;

function plainRecord(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  return Object.getPrototypeOf(value) === Object.prototype ? (value as Record<string, unknown>) : undefined;
}

// Copies the keys the schema does not model after the modelled ones, as a loose object does.
// `false` when one of them cannot be copied by plain assignment (a `__proto__` key).
function copyExtras(from: Record<string, unknown>, to: Record<string, unknown>, modelled: ReadonlySet<string>): boolean {
  for (const key of Object.keys(from)) {
    if (modelled.has(key)) continue;
    if (key === "__proto__") return false;
    to[key] = from[key];
  }
  return true;
}

const DELTA_KEYS: ReadonlySet<string> = new Set(["content", "index", "format"]);
const RAW_KEYS: ReadonlySet<string> = new Set(["stream", "content"]);
const STDERR_KEYS: ReadonlySet<string> = new Set(["content"]);
const RAW_STREAMS: ReadonlySet<unknown> = new Set(["stdout", "stderr", "sdk"]);

const assistantDelta: FastPath = (payload) => {
  const input = plainRecord(payload);
  if (input === undefined || typeof input["content"] !== "string") return undefined;
  const { index, format } = input;
  if (index !== undefined && !Number.isSafeInteger(index)) return undefined;
  if (format !== undefined && format !== "text") return undefined;
  const out: Record<string, unknown> = { content: input["content"] };
  if ("index" in input) out["index"] = index;
  out["format"] = "text";
  return copyExtras(input, out, DELTA_KEYS) ? out : undefined;
};

const raw: FastPath = (payload) => {
  const input = plainRecord(payload);
  if (input === undefined || !RAW_STREAMS.has(input["stream"]) || !Object.hasOwn(input, "content")) return undefined;
  const out: Record<string, unknown> = { stream: input["stream"], content: input["content"] };
  return copyExtras(input, out, RAW_KEYS) ? out : undefined;
};

const stderr: FastPath = (payload) => {
  const input = plainRecord(payload);
  if (input === undefined || typeof input["content"] !== "string") return undefined;
  const out: Record<string, unknown> = { content: input["content"] };
  return copyExtras(input, out, STDERR_KEYS) ? out : undefined;
};

/** The kinds with a hand-written check, and the check: the schema's output, or `undefined` to run the schema. */
export const PAYLOAD_FAST_PATHS: Partial<Record<EventKind, FastPath>> = {
  assistant_delta: assistantDelta,
  raw,
  stderr,
};
