// The repository itself must satisfy its own layer rules, and turbo's tag rules
// must stay in step with layers.config.json.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkWorkspace } from "../src/check.mjs";
import { loadConfig } from "../src/config.mjs";
import { formatViolation } from "../src/format.mjs";
import { REPO_ROOT } from "./helpers.mjs";

describe("the repository", () => {
  it("has no layer violations", async () => {
    const { violations, stats } = await checkWorkspace(REPO_ROOT);
    expect(violations.map(formatViolation)).toEqual([]);
    expect(stats.packages).toBeGreaterThanOrEqual(10);
  });

  it("puts provider-utils below the core lane, the providers and the kernel (the kernel also serves host tools), and execa only in the core lane", async () => {
    const { layers } = await checkWorkspace(REPO_ROOT);
    const row = (name) => layers.find((layer) => layer.name === name);
    expect(row("provider-utils")).toMatchObject({ rank: 1, packages: ["@asm/provider-utils"], allow: ["@asm/contract", "zod"] });
    expect(row("core-lane")).toMatchObject({ rank: 2, packages: ["@asm/core-lane"], allow: ["@asm/contract", "@asm/provider-utils", "execa", "zod"] });
    expect(row("providers")?.rank).toBe(2);
    expect(row("kernel")).toMatchObject({ rank: 3, packages: ["@asm/core"], allow: ["@asm/contract", "@asm/provider-utils", "@asm/core-lane", "@asm/host-tools", "zod"] });
    for (const layer of layers) if (layer.name !== "core-lane" && layer.allow !== null) expect(layer.allow, layer.name).not.toContain("execa");
  });

  it("has a turbo boundaries rule for exactly the tags of restricted layers", async () => {
    const config = await loadConfig(path.join(REPO_ROOT, "layers.config.json"));
    const turbo = JSON.parse(readFileSync(path.join(REPO_ROOT, "turbo.json"), "utf8"));
    const restricted = config.layers.filter((l) => l.tag && !l.allowAnything).map((l) => l.tag);
    expect(Object.keys(turbo.boundaries.tags).sort()).toEqual([...restricted].sort());
    const known = new Set(config.layers.map((l) => l.tag));
    for (const [tag, rule] of Object.entries(turbo.boundaries.tags)) {
      for (const allowed of rule.dependencies.allow) {
        // Each entry is either a layer tag or a package name (turbo accepts both).
        expect(known.has(allowed) || allowed.startsWith("@asm/"), `${tag} allows ${allowed}`).toBe(true);
      }
      // Same-layer edges (sibling extensions, lane to lane) are never allowed.
      expect(rule.dependencies.allow.includes(tag), `${tag} must not allow its own layer`).toBe(false);
    }
  });
});
