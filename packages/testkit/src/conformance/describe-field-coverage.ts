import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordedStdoutUnder, uncoveredFields, type FieldCoverage } from "../transcripts/field-coverage.js";

/** Options of {@link describeFieldCoverage}. */
export interface FieldCoverageOptions {
  /** Shown in the suite name (`Claude Code`). */
  cliName: string;
  /** The provider's fixture folder; every `*.jsonl` under it (but stdin files) is a recorded stdout. */
  fixtures: URL;
  /** Sub-folders of `fixtures` that hold hand-written streams, not recordings. */
  skip?: readonly string[];
  /** The sub-folders (`""` for files at the top) that must hold recordings, so a moved folder is noticed. */
  expectFolders: readonly string[];
  /** The parser's declaration. */
  coverage: FieldCoverage;
  /** The folder of the parser's sources: a field declared as mapped must be named there. */
  parserSources: URL;
}

/** The last field name of a declared path: `message.content[tool_use].input.*` → `input`. */
function lastFieldName(path: string): string {
  return path.replace(/\.\*$/, "").replace(/\[[^\]]*\]/g, "").split(".").at(-1) ?? "";
}

/**
 * The field-coverage suite of one provider parser: every event type and field path of every
 * recorded transcript is declared as mapped or as ignored (so output a new CLI version adds fails
 * here instead of passing as `raw`), every field declared as mapped is named in the parser's
 * sources (`"name"` or `.name`), and no field is declared both ways.
 *
 * @example
 * ```ts
 * describeFieldCoverage({ cliName: "Gemini CLI", fixtures: new URL("../__fixtures__/", import.meta.url),
 *   expectFolders: [""], coverage: geminiFieldCoverage, parserSources: new URL("./", import.meta.url) });
 * ```
 */
export function describeFieldCoverage(options: FieldCoverageOptions): void {
  const recorded = recordedStdoutUnder(options.fixtures, options.skip);
  const source = readdirSync(options.parserSources)
    .filter((name) => name.endsWith(".ts") && !name.includes(".test."))
    .map((name) => readFileSync(new URL(name, options.parserSources), "utf8"))
    .join("\n");

  describe(`${options.cliName} field coverage`, () => {
    it("finds recorded transcripts in every expected folder", () => {
      const folders = new Set(recorded.map((entry) => (entry.file.includes("/") ? entry.file.slice(0, entry.file.lastIndexOf("/")) : "")));
      expect([...folders].sort()).toEqual([...options.expectFolders].sort());
    });

    it.each(recorded.map((entry) => [entry.file, entry] as const))("%s has no event type or field the parser neither maps nor ignores", (_file, entry) => {
      expect(uncoveredFields(entry.lines, options.coverage)).toEqual([]);
    });

    it("declares as mapped only fields the parser's sources name", () => {
      const names = Object.values(options.coverage.mapped).flat().map(lastFieldName).filter((name) => name !== "");
      const unread = [...new Set(names)].filter((name) => !source.includes(`"${name}"`) && !new RegExp(`\\.${name}\\b`).test(source));
      expect(unread).toEqual([]);
    });

    it("declares no field as both mapped and ignored", () => {
      const both = Object.entries(options.coverage.mapped).flatMap(([key, paths]) =>
        paths.filter((path) => options.coverage.ignored[key]?.includes(path) === true).map((path) => `${key} ${path}`),
      );
      expect(both).toEqual([]);
    });
  });
}
