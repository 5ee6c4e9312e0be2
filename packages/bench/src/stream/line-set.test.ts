import { describe, expect, it } from "vitest";
import { buildLineSet } from "./line-set.js";

describe("buildLineSet", () => {
  it("produces exactly the requested lines, init first and one result last, all JSON", () => {
    const set = buildLineSet({ lines: 3_000 });
    const lines = set.text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(3_000);
    expect(set.lines).toBe(3_000);
    expect(set.bytes).toBe(Buffer.byteLength(set.text));
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ type: "system", subtype: "init" });
    expect(parsed.at(-1)).toMatchObject({ type: "result", subtype: "success" });
    expect(parsed.filter((line) => line["type"] === "result")).toHaveLength(1);
    expect(Object.values(set.mix).reduce((a, b) => a + b, 0)).toBe(3_000);
  });

  it("mixes text deltas, assistant text and tool_use, and tool results with a few of 100 KB", () => {
    const set = buildLineSet({ lines: 5_000, largeToolResults: 3 });
    expect(set.largeToolResults).toBe(3);
    expect(set.mix["user/tool_result_100kb"]).toBe(3);
    for (const shape of ["stream_event/text_delta", "assistant/text", "assistant/tool_use", "user/tool_result"]) {
      expect(set.mix[shape] ?? 0).toBeGreaterThan(50);
    }
    expect(set.mix["stream_event/text_delta"]).toBeGreaterThan(set.lines / 2);
    const large = set.text.split("\n").filter((line) => line.length > 200_000);
    expect(large).toHaveLength(3);
    expect(JSON.parse(large[0] as string)).toMatchObject({ type: "user", message: { content: [{ type: "tool_result" }] } });
  });

  it("is deterministic", () => {
    expect(buildLineSet({ lines: 500 }).text).toBe(buildLineSet({ lines: 500 }).text);
  });
});
