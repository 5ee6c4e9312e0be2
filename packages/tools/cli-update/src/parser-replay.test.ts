import { loadTranscript } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { appearedWarnings, parserWarnings } from "./parser-replay.js";

const fixture = (dir: string) => loadTranscript(new URL(`../__fixtures__/${dir}/`, import.meta.url), "text");

describe("parser warnings", () => {
  it("finds none in a run the parser maps", () => {
    expect(parserWarnings("codex", fixture("known"))).toEqual({ raw: {}, schemaDrift: [] });
  });

  it("reports an unknown event type as raw and schema drift, and only what is new against the earlier run", () => {
    const before = parserWarnings("codex", fixture("known"));
    const after = parserWarnings("codex", fixture("drifted"));
    expect(after.raw).toEqual({ "turn.brand_new": 1 });
    expect(after.schemaDrift).toHaveLength(1);
    expect(after.schemaDrift[0]).toContain("turn.brand_new");
    expect(appearedWarnings(before, after)).toEqual(after);
    expect(appearedWarnings(after, after)).toEqual({ raw: {}, schemaDrift: [] });
  });
});
