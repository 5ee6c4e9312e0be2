import { readdirSync, readFileSync } from "node:fs";
import { recordedStdoutUnder, uncoveredFields } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { claudeFieldCoverage } from "../__fixtures__/field-coverage.js";

// Every event type and field Claude Code printed in a recorded transcript (the shared captures,
// the ones recorded for this package, and `pinned/`, re-recorded with the pinned CLI by
// `pnpm record:transcripts`) is either mapped by the parser or explicitly ignored.
const FIXTURES = new URL("../__fixtures__/", import.meta.url);
const RECORDED = recordedStdoutUnder(FIXTURES);

// The parser's own source, to check that a field declared as mapped is one it reads.
const SOURCE = readdirSync(new URL("./", import.meta.url))
  .filter((name) => name.endsWith(".ts") && !name.includes(".test."))
  .map((name) => readFileSync(new URL(`./${name}`, import.meta.url), "utf8"))
  .join("\n");

/** The last field name of a declared path: `message.content[tool_use].input.*` → `input`. */
function lastFieldName(path: string): string | undefined {
  const names = path.replace(/\.\*$/, "").replace(/\[[^\]]*\]/g, "").split(".");
  return names.at(-1);
}

describe("Claude Code field coverage", () => {
  it("finds recorded transcripts in every fixture folder", () => {
    const folders = new Set(RECORDED.map((entry) => entry.file.split("/")[0]));
    expect([...folders].sort()).toEqual(["pinned", "recorded", "transcripts"]);
  });

  it.each(RECORDED.map((entry) => [entry.file, entry] as const))("%s has no event type or field the parser neither maps nor ignores", (_file, entry) => {
    expect(uncoveredFields(entry.lines, claudeFieldCoverage)).toEqual([]);
  });

  it("reports a field a new CLI version might add, and a new event type", () => {
    const [first] = RECORDED.find((entry) => entry.file === "transcripts/text.jsonl")?.lines ?? [];
    const changed = { ...(first as Record<string, unknown>), brand_new_field: { nested: 1 } };
    expect(uncoveredFields([changed, { type: "brand_new_event", value: 1 }], claudeFieldCoverage)).toEqual([
      { eventKey: "brand_new_event", path: "", types: ["object"] },
      { eventKey: "system/init", path: "brand_new_field.nested", types: ["number"] },
    ]);
  });

  it("declares as mapped only fields the parser's source reads", () => {
    const unread = Object.values(claudeFieldCoverage.mapped)
      .flat()
      .map(lastFieldName)
      .filter((name): name is string => name !== undefined && name !== "" && !SOURCE.includes(`"${name}"`));
    expect([...new Set(unread)]).toEqual([]);
  });

  it("declares no field as both mapped and ignored", () => {
    const both = Object.entries(claudeFieldCoverage.mapped).flatMap(([key, paths]) => paths.filter((path) => claudeFieldCoverage.ignored[key]?.includes(path)).map((path) => `${key} ${path}`));
    expect(both).toEqual([]);
  });
});
