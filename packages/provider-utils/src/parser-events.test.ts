import { describe, expect, it } from "vitest";
import { createParserEvents } from "./parser-events.js";

describe("createParserEvents", () => {
  it("cuts a payload nested deeper than 64 levels and says so, keeping its text whole", () => {
    let deep: unknown = 0;
    for (let level = 0; level < 2_500; level += 1) deep = [deep];
    const events = createParserEvents();
    const event = events.event("tool_use", { toolName: "Bash", toolCallId: "t1", input: { deep, command: "x".repeat(2_000_000) } });
    expect(() => JSON.stringify(event)).not.toThrow();
    const input = (event.payload as { input: { command: string } }).input;
    expect(input.command).toHaveLength(2_000_000);
    expect(event.metadata?.["payloadTruncated"]).toMatchObject({ depth: 1 });
  });

  it("keeps a payload within the limits as it is, without metadata", () => {
    const payload = { toolName: "Bash", toolCallId: "t1", input: { command: "ls" } };
    const event = createParserEvents().event("tool_use", payload);
    expect(event.payload).toBe(payload);
    expect(event.metadata).toBeUndefined();
  });
});
