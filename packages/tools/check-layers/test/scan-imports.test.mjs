import { describe, expect, it } from "vitest";
import { classifySpecifier, findImports, listSourceFiles, packageNameOf } from "../src/scan-imports.mjs";
import { fixture } from "./helpers.mjs";

describe("findImports", () => {
  it("finds every import form with its line", () => {
    const source = [
      'import type { A } from "type-only";', // 1
      'import def, { b } from "@scope/pkg/sub";', // 2
      'import "side-effect";', // 3
      'export * from "./re-export.js";', // 4
      'export { c } from "../up.js";', // 5
      "async function f() {", // 6
      '  const m = await import("dynamic");', // 7
      '  const r = require("required");', // 8
      "  const n = await import(name);", // 9: not a literal, not a static dependency
      "}", // 10
      'import fs = require("import-equals");', // 11
      "const later = await import(", // 12
      '  "multi-line"', // 13
      ");", // 14
    ].join("\n");
    expect(findImports(source)).toEqual([
      { specifier: "type-only", line: 1 },
      { specifier: "@scope/pkg/sub", line: 2 },
      { specifier: "side-effect", line: 3 },
      { specifier: "./re-export.js", line: 4 },
      { specifier: "../up.js", line: 5 },
      { specifier: "dynamic", line: 7 },
      { specifier: "required", line: 8 },
      { specifier: "import-equals", line: 11 },
      { specifier: "multi-line", line: 13 },
    ]);
  });

  it("ignores look-alikes in comments, strings and regular expressions", () => {
    const source = [
      '// import x from "line-comment";',
      '/* require("block-comment") */',
      "const s = \"import x from 'in-string'\";",
      'const re = /"\\/import("in-regex")/;',
      'const t = `require("in-template")`;',
      'import real from "real";',
    ].join("\n");
    expect(findImports(source)).toEqual([{ specifier: "real", line: 6 }]);
  });
});

describe("classifySpecifier and packageNameOf", () => {
  it("classifies specifiers", () => {
    expect(classifySpecifier("./a.js")).toBe("relative");
    expect(classifySpecifier("../a.js")).toBe("relative");
    expect(classifySpecifier("/abs/a.js")).toBe("relative");
    expect(classifySpecifier("#internal")).toBe("subpath-import");
    expect(classifySpecifier("node:fs")).toBe("builtin");
    expect(classifySpecifier("fs/promises")).toBe("builtin");
    expect(classifySpecifier("node:test")).toBe("builtin");
    expect(classifySpecifier("test")).toBe("package");
    expect(classifySpecifier("zod")).toBe("package");
    expect(classifySpecifier("data:text/javascript,1")).toBe("url");
  });

  it("reduces a specifier to its package name", () => {
    expect(packageNameOf("zod")).toBe("zod");
    expect(packageNameOf("zod/v4")).toBe("zod");
    expect(packageNameOf("@asm/core")).toBe("@asm/core");
    expect(packageNameOf("@asm/core/internal/x.js")).toBe("@asm/core");
  });
});

describe("listSourceFiles", () => {
  it("lists src, test and scripts files and marks which are production code", async () => {
    const files = await listSourceFiles(`${fixture("clean")}/packages/core`, {
      roots: ["src", "test", "scripts"],
      extensions: [".ts", ".mjs"],
      nonProduction: ["**/*.test.*", "**/__fixtures__/**", "test/**", "scripts/**"],
    });
    expect(files.map((f) => [f.rel, f.production])).toEqual([
      ["src/__fixtures__/fake-cli.mjs", false],
      ["src/index.ts", true],
      ["src/run.test.ts", false],
    ]);
  });

  it("treats everything under test/ as test code", async () => {
    const files = await listSourceFiles(`${fixture("clean")}/packages/providers/alpha`, {
      roots: ["src", "test"],
      extensions: [".ts", ".cjs"],
      nonProduction: ["test/**"],
    });
    expect(files.map((f) => [f.rel, f.production])).toEqual([
      ["src/index.ts", true],
      ["src/legacy.cjs", true],
      ["test/profile.test.ts", false],
    ]);
  });
});
