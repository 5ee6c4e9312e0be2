import { describe, expect, it } from "vitest";
import { diffShapes, eventKeyOf, isEmptyDiff, transcriptShapes } from "./shape-diff.js";

describe("eventKeyOf", () => {
  it("adds the discriminator one level in", () => {
    expect(eventKeyOf({ type: "system", subtype: "init" })).toBe("system/init");
    expect(eventKeyOf({ type: "item.completed", item: { type: "agent_message" } })).toBe("item.completed/agent_message");
    expect(eventKeyOf({ type: "stream_event", event: { type: "message_start" } })).toBe("stream_event/message_start");
    expect(eventKeyOf({ type: "control_request", request: { subtype: "can_use_tool" } })).toBe("control_request/can_use_tool");
    expect(eventKeyOf({ type: "turn.started" })).toBe("turn.started");
  });
});

describe("diffShapes", () => {
  const before = transcriptShapes([
    { type: "thread.started", thread_id: "a" },
    { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 2 } },
    { type: "gone.event" },
    "not an event",
  ]);

  it("sees no change between runs that differ only in values", () => {
    const after = transcriptShapes([
      { type: "thread.started", thread_id: "b" },
      { type: "turn.completed", usage: { input_tokens: 9, output_tokens: 8 } },
      { type: "gone.event" },
    ]);
    expect(isEmptyDiff(diffShapes(before, after))).toBe(true);
  });

  it("reports new and vanished event types, added and removed fields and changed JSON types", () => {
    const after = transcriptShapes([
      { type: "thread.started", thread_id: null },
      { type: "turn.completed", usage: { input_tokens: 1, reasoning_tokens: 3 } },
      { type: "brand.new", x: 1 },
    ]);
    expect(diffShapes(before, after)).toEqual({
      addedEvents: ["brand.new"],
      removedEvents: ["gone.event"],
      fields: [
        { eventKey: "thread.started", path: "thread_id", change: "types", before: ["string"], after: ["null"] },
        { eventKey: "turn.completed", path: "usage.output_tokens", change: "removed", before: ["number"], after: [] },
        { eventKey: "turn.completed", path: "usage.reasoning_tokens", change: "added", before: [], after: ["number"] },
      ],
    });
  });

  it("treats a new content block type as a new field", () => {
    const old = transcriptShapes([{ type: "assistant", message: { content: [{ type: "text", text: "a" }] } }]);
    const now = transcriptShapes([{ type: "assistant", message: { content: [{ type: "text", text: "a" }, { type: "citation", url: "u" }] } }]);
    expect(diffShapes(old, now).fields.map((field) => `${field.change} ${field.path}`)).toEqual([
      "added message.content[citation].type",
      "added message.content[citation].url",
    ]);
  });
});
