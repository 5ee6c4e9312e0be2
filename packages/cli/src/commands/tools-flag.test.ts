import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadToolsModule, takeToolsFlag } from "./tools-flag.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "asm-tools-flag-"));
  // Plain objects stand in for the zod schemas: loading only picks the exports, the kernel checks them.
  await writeFile(join(dir, "default.mjs"), 'export default [{ name: "add", description: "Adds", inputSchema: {}, call: () => "5" }];\n');
  await writeFile(join(dir, "named.mjs"), 'export const add = { name: "add", description: "", inputSchema: {}, call: () => "5" };\nexport const version = 1;\n');
  await writeFile(join(dir, "none.mjs"), "export const version = 1;\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("--tools", () => {
  it("is taken out of the run arguments in both spellings", () => {
    expect(takeToolsFlag(["hi", "--tools", "./t.mjs", "--provider", "claude"])).toEqual({ argv: ["hi", "--provider", "claude"], path: "./t.mjs" });
    expect(takeToolsFlag(["--tools=./t.mjs", "hi"])).toEqual({ argv: ["hi"], path: "./t.mjs" });
    expect(takeToolsFlag(["hi", "--", "--tools", "x"])).toEqual({ argv: ["hi", "--", "--tools", "x"], path: undefined });
    expect(() => takeToolsFlag(["hi", "--tools"])).toThrow(/--tools needs a module/);
  });

  it("loads a default export, or the named exports that are tools", async () => {
    expect((await loadToolsModule("default.mjs", dir)).map((tool) => tool.name)).toEqual(["add"]);
    expect((await loadToolsModule(join(dir, "named.mjs"))).map((tool) => tool.name)).toEqual(["add"]);
  });

  it("refuses a module that exports no tools or cannot be loaded", async () => {
    await expect(loadToolsModule("none.mjs", dir)).rejects.toMatchObject({ code: "config_invalid", details: { key: "tools" } });
    await expect(loadToolsModule("missing.mjs", dir)).rejects.toMatchObject({ code: "config_invalid", details: { key: "tools" } });
  });
});
