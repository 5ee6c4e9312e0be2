import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PAYLOAD_FAST_PATHS } from "./payload-fast-paths.js";
import { payloadSchemas } from "./payloads.js";
import type { EventKind } from "./event-kinds.js";

// The hand-written checks must give the schema's verdict and output for every value they accept.
function agreesWithSchema(kind: EventKind, value: unknown): void {
  const fast = PAYLOAD_FAST_PATHS[kind]?.(value);
  const schema = payloadSchemas[kind].safeParse(value);
  if (fast === undefined) return;
  expect(schema.success, `${kind} ${JSON.stringify(value)}`).toBe(true);
  if (!schema.success) return;
  // Same keys in the same order (what JSON.stringify writes), same values.
  expect(Object.entries(fast)).toEqual(Object.entries(schema.data));
  expect(JSON.stringify(fast)).toBe(JSON.stringify(schema.data));
}

const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom("text", "stdout", "stderr", "sdk", "other", 2 ** 53, -0, Number.NaN),
  fc.dictionary(fc.string(), fc.string()),
  fc.array(fc.integer()),
);
const keys = fc.constantFrom("content", "index", "format", "stream", "extra", "type", "__proto__", "toString");
const payload = fc.dictionary(keys, anyValue, { maxKeys: 5 });

describe("payload fast paths", () => {
  it("cover the hottest kinds", () => {
    expect(Object.keys(PAYLOAD_FAST_PATHS).sort()).toEqual(["assistant_delta", "raw", "stderr"]);
  });

  for (const kind of Object.keys(PAYLOAD_FAST_PATHS) as EventKind[]) {
    it(`${kind}: accept only what the schema accepts, and give its output`, () => {
      fc.assert(fc.property(payload, (value) => agreesWithSchema(kind, value)), { numRuns: 3000 });
    });
  }

  it("take the common shapes (so the schema is not run for them)", () => {
    expect(PAYLOAD_FAST_PATHS.assistant_delta?.({ content: "hi", index: 0, messageId: "m" })).toEqual({ content: "hi", index: 0, format: "text", messageId: "m" });
    expect(PAYLOAD_FAST_PATHS.raw?.({ stream: "stdout", content: { type: "x" } })).toEqual({ stream: "stdout", content: { type: "x" } });
    expect(PAYLOAD_FAST_PATHS.stderr?.({ content: "warn" })).toEqual({ content: "warn" });
  });

  it("leave the schema to reject what is wrong", () => {
    expect(PAYLOAD_FAST_PATHS.assistant_delta?.({ content: 1 })).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.assistant_delta?.({ content: "a", index: 1.5 })).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.assistant_delta?.({ content: "a", format: "html" })).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.raw?.({ stream: "stdout" })).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.raw?.({ stream: "pipe", content: 1 })).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.stderr?.(Object.create({ content: "inherited" }))).toBeUndefined();
    expect(PAYLOAD_FAST_PATHS.stderr?.(JSON.parse('{"content":"a","__proto__":1}'))).toBeUndefined();
  });
});
