import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonShape, leafPaths, recordedStdoutUnder, uncoveredFields, type FieldCoverage } from "./field-coverage.js";

const coverage: FieldCoverage = {
  eventKey: (line) => String(line["type"]),
  mapped: { msg: ["type", "content[text].text", "usage.*"] },
  ignored: { msg: ["content[text].type", "uuid"], ping: ["type"] },
};

describe("jsonShape", () => {
  it("names array elements by their type and records every JSON type seen at a path", () => {
    const shape = jsonShape({ type: "msg", content: [{ type: "text", text: "a" }, "plain"], n: 1 });
    jsonShape({ type: "msg", n: null }, shape);
    expect(Object.fromEntries([...shape].map(([path, types]) => [path, [...types].sort()]))).toEqual({
      "": ["object"],
      type: ["string"],
      content: ["array"],
      "content[text]": ["object"],
      "content[text].type": ["string"],
      "content[text].text": ["string"],
      "content[]": ["string"],
      n: ["null", "number"],
    });
    expect(leafPaths(shape)).toEqual(["content[]", "content[text].text", "content[text].type", "n", "type"]);
  });
});

describe("uncoveredFields", () => {
  it("accepts lines whose every field is mapped or ignored, wildcards included", () => {
    const lines = [{ type: "msg", uuid: "u", content: [{ type: "text", text: "hi" }], usage: { any: { model: 1 } } }, { type: "ping" }, "not an object", [1]];
    expect(uncoveredFields(lines, coverage)).toEqual([]);
  });

  it("accepts an empty container whose fields are declared", () => {
    expect(uncoveredFields([{ type: "msg", content: [] }], coverage)).toEqual([]);
  });

  it("reports a new field, a new block type and a new event type", () => {
    const lines = [{ type: "msg", extra: { deep: true }, content: [{ type: "image", data: "x" }] }, { type: "brand_new" }];
    expect(uncoveredFields(lines, coverage)).toEqual([
      { eventKey: "brand_new", path: "", types: ["object"] },
      { eventKey: "msg", path: "content[image].data", types: ["string"] },
      { eventKey: "msg", path: "content[image].type", types: ["string"] },
      { eventKey: "msg", path: "extra.deep", types: ["boolean"] },
    ]);
  });
});

describe("recordedStdoutUnder", () => {
  const root = mkdtempSync(join(tmpdir(), "asm-field-coverage-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads every stdout file but stdin files and skipped folders, parsing only JSON lines", () => {
    mkdirSync(join(root, "sub"));
    mkdirSync(join(root, "synthetic"));
    writeFileSync(join(root, "a.jsonl"), '{"type":"msg"}\nnot json\n\n');
    writeFileSync(join(root, "a.stdin.jsonl"), '{"type":"user"}\n');
    writeFileSync(join(root, "sub", "b.jsonl"), '{"type":"ping"}\n');
    writeFileSync(join(root, "synthetic", "c.jsonl"), '{"type":"made-up"}\n');
    expect(recordedStdoutUnder(root, ["synthetic"])).toEqual([
      { file: "a.jsonl", lines: [{ type: "msg" }] },
      { file: join("sub", "b.jsonl"), lines: [{ type: "ping" }] },
    ]);
  });
});
