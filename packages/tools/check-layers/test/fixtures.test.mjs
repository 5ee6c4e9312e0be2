import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkWorkspace } from "../src/check.mjs";
import { brief, fixture, PACKAGE_DIR } from "./helpers.mjs";

/** Every fixture workspace and exactly the violations it must produce. */
const EXPECTED = {
  "outward-dependency-manifest": [
    { rule: "outward-dependency", package: "@asm/contract", target: "@asm/core", via: "dependencies", at: "packages/contract/package.json:7" },
  ],
  "outward-import": [
    { rule: "outward-dependency", package: "@asm/core", target: "@asm/alpha", via: "import", at: "packages/core/src/index.ts:2" },
    { rule: "undeclared-import", package: "@asm/core", target: "@asm/alpha", via: "import", at: "packages/core/src/index.ts:2" },
  ],
  "undeclared-import": [
    { rule: "external-not-allowed", package: "@asm/alpha", target: "fast-check", via: "import", at: "packages/providers/alpha/src/arbitrary.ts:1" },
    { rule: "undeclared-import", package: "@asm/alpha", target: "fast-check", via: "import", at: "packages/providers/alpha/src/arbitrary.ts:1" },
    { rule: "undeclared-import", package: "@asm/alpha", target: "zod", via: "import", at: "packages/providers/alpha/src/index.ts:2" },
  ],
  "relative-escape": [
    {
      rule: "relative-escape",
      package: "@asm/alpha",
      target: "../../../contract/src/index.js",
      via: "import",
      at: "packages/providers/alpha/src/index.ts:2",
    },
  ],
  "sibling-extension": [
    { rule: "sibling-extension", package: "@asm/routing", target: "@asm/persistence", via: "dependencies", at: "packages/extensions/routing/package.json:8" },
    { rule: "sibling-extension", package: "@asm/routing", target: "@asm/persistence", via: "import", at: "packages/extensions/routing/src/index.ts:2" },
  ],
  "wrong-provider-for-lane": [
    { rule: "wrong-provider-for-lane", package: "@asm/sdk-alpha", target: "@asm/beta", via: "dependencies", at: "packages/sdk/alpha/package.json:8" },
    { rule: "wrong-provider-for-lane", package: "@asm/sdk-alpha", target: "@asm/beta", via: "import", at: "packages/sdk/alpha/src/index.ts:2" },
  ],
  "vendor-sdk-not-optional-peer": [
    { rule: "vendor-sdk-not-optional-peer", package: "@asm/sdk-alpha", target: "alpha-vendor-sdk", via: "dependencies", at: "packages/sdk/alpha/package.json:7" },
    { rule: "vendor-sdk-not-optional-peer", package: "@asm/sdk-beta", target: "beta-vendor-sdk", via: "peerDependencies", at: "packages/sdk/beta/package.json:9" },
  ],
  "execa-in-kernel": [
    { rule: "external-not-allowed", package: "@asm/core", target: "execa", via: "dependencies", at: "packages/core/package.json:7" },
    { rule: "external-not-allowed", package: "@asm/core", target: "execa", via: "import", at: "packages/core/src/index.ts:2" },
  ],
  "core-lane-misuse": [
    { rule: "outward-dependency", package: "@asm/core-lane", target: "@asm/core", via: "dependencies", at: "packages/core-lane/package.json:7" },
    { rule: "outward-dependency", package: "@asm/core-lane", target: "@asm/core", via: "import", at: "packages/core-lane/src/index.ts:2" },
    { rule: "layer-not-allowed", package: "@asm/alpha", target: "@asm/core-lane", via: "dependencies", at: "packages/providers/alpha/package.json:7" },
    { rule: "layer-not-allowed", package: "@asm/alpha", target: "@asm/core-lane", via: "import", at: "packages/providers/alpha/src/index.ts:2" },
  ],
  "execa-in-provider": [
    { rule: "external-not-allowed", package: "@asm/alpha", target: "execa", via: "dependencies", at: "packages/providers/alpha/package.json:7" },
    { rule: "external-not-allowed", package: "@asm/alpha", target: "execa", via: "import", at: "packages/providers/alpha/src/index.ts:2" },
  ],
  "unknown-layer": [{ rule: "unknown-layer", package: "@asm/thing", target: null, via: null, at: "packages/misc/thing/package.json:1" }],
  "dev-dependency-rank": [
    { rule: "layer-not-allowed", package: "@asm/alpha", target: "@asm/core", via: "devDependencies", at: "packages/providers/alpha/package.json:10" },
    { rule: "layer-not-allowed", package: "@asm/alpha", target: "@asm/core", via: "import", at: "packages/providers/alpha/src/index.test.ts:2" },
  ],
  "turbo-tags": [
    { rule: "layer-tag-mismatch", package: "@asm/core", target: null, via: null, at: "packages/core/package.json:1" },
    { rule: "layer-tag-mismatch", package: "@asm/alpha", target: null, via: null, at: "packages/providers/alpha/turbo.json:1" },
  ],
  clean: [],
};

describe("fixture workspaces", () => {
  it("has an expectation for every fixture folder", () => {
    const folders = readdirSync(`${PACKAGE_DIR}/__fixtures__`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: reports exactly the expected violations`, async () => {
      const { violations } = await checkWorkspace(fixture(name));
      expect(violations.map(brief)).toEqual(expected);
    });
  }

  it("clean: scans every package, manifest entry and import (and no import inside a comment or string)", async () => {
    const { violations, stats } = await checkWorkspace(fixture("clean"));
    expect(violations).toEqual([]);
    // Counted by hand from the fixture: 41 manifest entries, 18 source files,
    // 47 real imports (src/schema.ts also holds one in a comment and one in a string).
    expect(stats).toEqual({ packages: 10, dependencies: 41, files: 18, imports: 47 });
  });

  it("explains the rank in an outward-dependency message", async () => {
    const { violations } = await checkWorkspace(fixture("outward-dependency-manifest"));
    expect(violations[0].message).toBe("contract (rank 0) may not depend on kernel (rank 1); allowed: zod");
  });

  it("names the lane's own provider in a wrong-provider-for-lane message", async () => {
    const { violations } = await checkWorkspace(fixture("wrong-provider-for-lane"));
    expect(violations[0].message).toContain("(@asm/alpha), not @asm/beta");
  });

  it("says why execa is restricted", async () => {
    const { violations } = await checkWorkspace(fixture("execa-in-provider"));
    expect(violations.every((v) => v.message.includes("only packages that spawn processes"))).toBe(true);
  });

  it("tells a production import of a devDependency apart from an undeclared one", async () => {
    const { violations } = await checkWorkspace(fixture("undeclared-import"));
    const undeclared = violations.filter((v) => v.rule === "undeclared-import");
    expect(undeclared.map((v) => v.message)).toEqual([
      "fast-check is only a devDependency; production source may import only dependencies and peerDependencies",
      "zod is not declared in packages/providers/alpha/package.json",
    ]);
  });
});
