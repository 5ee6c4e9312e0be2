import { describe, expect, it } from "vitest";
import { lineOfDependency } from "../src/check.mjs";
import { validateConfig } from "../src/config.mjs";
import { LayerCheckError } from "../src/errors.mjs";
import { matchesGlob } from "../src/glob.mjs";
import { parseWorkspacePatterns } from "../src/load-workspace.mjs";

const LAYER = { name: "contract", rank: 0, folders: ["packages/contract"], allow: ["zod"] };

describe("validateConfig", () => {
  it("fills in defaults", () => {
    const config = validateConfig({ layers: [LAYER] });
    expect(config.sources.roots).toEqual(["src", "test", "scripts"]);
    expect(config.turboTags).toBe(false);
    expect(config.privatePackagesImportDevDependencies).toBe(false);
  });

  it.each([
    [{}, "`layers` must be a non-empty array"],
    [{ layers: [LAYER], devTools: [] }, "unknown key `devTools`"],
    [{ layers: [{ ...LAYER, alow: ["zod"] }] }, "unknown key `layers[0].alow`"],
    [{ layers: [{ ...LAYER, rank: "0" }] }, "layers[0].rank must be an integer"],
    [{ layers: [LAYER, LAYER] }, 'layers[1].name "contract" is used twice'],
    [{ layers: [{ ...LAYER, ownProvider: { layer: "providers", name: "@asm/{dir}" } }] }, 'ownProvider.layer "providers" is not a layer'],
    [{ layers: [LAYER], restrictedExternals: { execa: { layers: ["apps"], reason: "spawns" } } }, '"apps" is not a layer'],
  ])("rejects %j", (raw, message) => {
    expect(() => validateConfig(raw)).toThrow(LayerCheckError);
    expect(() => validateConfig(raw)).toThrow(message);
  });

  it("ignores $-prefixed comment keys", () => {
    expect(() => validateConfig({ $comment: "x", layers: [{ ...LAYER, $why: "y" }] })).not.toThrow();
  });
});

describe("parseWorkspacePatterns", () => {
  it("reads a block list with quotes, comments and negations", () => {
    const yaml = 'packages:\n  - packages/*\n  # a comment\n  - "packages/providers/*" # trailing\n  - \'!**/test/**\'\n\ncatalog:\n  zod: 4.0.0\n';
    expect(parseWorkspacePatterns(yaml)).toEqual(["packages/*", "packages/providers/*", "!**/test/**"]);
  });

  it("reads a compact block list written at the key's indentation", () => {
    const yaml = "packages:\n- packages/*\n- 'packages/providers/*'\ncatalog:\n  zod: 4.0.0\n";
    expect(parseWorkspacePatterns(yaml)).toEqual(["packages/*", "packages/providers/*"]);
  });

  it("reads a flow list", () => {
    expect(parseWorkspacePatterns('packages: ["a/*", b]\n')).toEqual(["a/*", "b"]);
  });
});

describe("matchesGlob", () => {
  it("matches one segment with * and any depth with **", () => {
    expect(matchesGlob("packages/providers/claude", "packages/providers/*")).toBe(true);
    expect(matchesGlob("packages/providers/claude/x", "packages/providers/*")).toBe(false);
    expect(matchesGlob("src/a/b/__fixtures__/c.ts", "**/__fixtures__/**")).toBe(true);
    expect(matchesGlob("src/a.test.ts", "**/*.test.*")).toBe(true);
    expect(matchesGlob("src/a.ts", "**/*.test.*")).toBe(false);
    expect(matchesGlob("@types/node", "@types/*")).toBe(true);
    expect(matchesGlob("@typesx/node", "@types/*")).toBe(false);
  });
});

describe("lineOfDependency", () => {
  it("finds the entry inside the right field", () => {
    const text = '{\n  "dependencies": {\n    "zod": "1"\n  },\n  "peerDependenciesMeta": {},\n  "peerDependencies": {\n    "zod": "1"\n  }\n}\n';
    expect(lineOfDependency(text, "dependencies", "zod")).toBe(3);
    expect(lineOfDependency(text, "peerDependencies", "zod")).toBe(7);
  });
});
