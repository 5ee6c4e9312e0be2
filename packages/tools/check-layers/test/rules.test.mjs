import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.mjs";
import { judgeUse, packageRules, resolveLayer } from "../src/rules.mjs";
import { fixture } from "./helpers.mjs";

const config = await loadConfig(path.join(fixture("clean"), "layers.config.json"));

/** Layers of the made-up workspace packages the cases below refer to. */
const WORKSPACE = {
  "@asm/contract": "packages/contract",
  "@asm/provider-utils": "packages/provider-utils",
  "@asm/core-lane": "packages/core-lane",
  "@asm/core": "packages/core",
  "@asm/testkit": "packages/testkit",
  "@asm/alpha": "packages/providers/alpha",
  "@asm/beta": "packages/providers/beta",
  "@asm/pubsub": "packages/extensions/pubsub",
  "@asm/sdk-alpha": "packages/sdk/alpha",
  "@asm/cli": "packages/cli",
};

/**
 * Judges `target` used by the package in folder `dir`.
 * @param {string} dir
 * @param {string} target
 * @param {Partial<import("../src/rules.mjs").Use>} [use]
 */
function judge(dir, target, use = {}) {
  const layer = resolveLayer(config, dir);
  const name = Object.entries(WORKSPACE).find(([, d]) => d === dir)?.[0] ?? dir;
  return judgeUse(
    {
      config,
      packageName: name,
      rules: layer ? packageRules(layer, dir) : undefined,
      workspaceLayer: (n) => (n in WORKSPACE ? (resolveLayer(config, WORKSPACE[n]) ?? null) : undefined),
    },
    target,
    { scope: "runtime", via: "dependencies", optionalPeer: false, ...use },
  )?.rule ?? "ok";
}

describe("judgeUse", () => {
  it("resolves a folder to the first matching layer, or none", () => {
    expect(resolveLayer(config, "packages/providers/alpha")?.name).toBe("providers");
    expect(resolveLayer(config, "packages/providers/alpha/nested")).toBeUndefined();
    expect(resolveLayer(config, "packages/misc/thing")).toBeUndefined();
  });

  it("applies the rank table to workspace dependencies", () => {
    expect(judge("packages/contract", "@asm/core")).toBe("outward-dependency");
    expect(judge("packages/core", "@asm/contract")).toBe("ok");
    expect(judge("packages/core", "@asm/core-lane")).toBe("ok");
    expect(judge("packages/core", "@asm/provider-utils")).toBe("ok");
    // The kernel ranks above the providers but is never handed one at build time.
    expect(judge("packages/core", "@asm/alpha")).toBe("layer-not-allowed");
    expect(judge("packages/core", "@asm/testkit")).toBe("layer-not-allowed");
    expect(judge("packages/core-lane", "@asm/core")).toBe("outward-dependency");
    expect(judge("packages/core-lane", "@asm/provider-utils")).toBe("ok");
    expect(judge("packages/core-lane", "@asm/alpha")).toBe("layer-not-allowed");
    expect(judge("packages/provider-utils", "@asm/core-lane")).toBe("outward-dependency");
    expect(judge("packages/provider-utils", "@asm/contract")).toBe("ok");
    expect(judge("packages/providers/alpha", "@asm/provider-utils")).toBe("ok");
    expect(judge("packages/providers/alpha", "@asm/core-lane")).toBe("layer-not-allowed");
    expect(judge("packages/sdk/alpha", "@asm/core-lane")).toBe("ok");
    // The kernel now ranks above the providers (it is handed them), so a provider using it points outward.
    expect(judge("packages/providers/alpha", "@asm/core")).toBe("outward-dependency");
    expect(judge("packages/providers/alpha", "@asm/pubsub")).toBe("outward-dependency");
    expect(judge("packages/extensions/pubsub", "@asm/sdk-alpha")).toBe("outward-dependency");
    expect(judge("packages/cli", "@asm/sdk-alpha")).toBe("ok");
  });

  it("lets every package devDepend on the testkit, but not depend on it", () => {
    expect(judge("packages/providers/alpha", "@asm/testkit", { scope: "dev", via: "devDependencies" })).toBe("ok");
    expect(judge("packages/contract", "@asm/testkit", { scope: "dev", via: "devDependencies" })).toBe("ok");
    expect(judge("packages/providers/alpha", "@asm/testkit")).toBe("layer-not-allowed");
  });

  it("allows build and test tools only as devDependencies", () => {
    expect(judge("packages/contract", "vitest", { scope: "dev", via: "devDependencies" })).toBe("ok");
    expect(judge("packages/contract", "fast-check", { scope: "dev", via: "import" })).toBe("ok");
    expect(judge("packages/contract", "typescript")).toBe("external-not-allowed");
    expect(judge("packages/contract", "left-pad", { scope: "dev", via: "devDependencies" })).toBe("external-not-allowed");
  });

  it("allows vitest in the testkit only as an optional peer", () => {
    expect(judge("packages/testkit", "vitest", { via: "peerDependencies", optionalPeer: true })).toBe("ok");
    expect(judge("packages/testkit", "vitest", { via: "peerDependencies" })).toBe("not-optional-peer");
    expect(judge("packages/testkit", "vitest")).toBe("not-optional-peer");
    expect(judge("packages/testkit", "vitest", { via: "import" })).toBe("ok");
  });

  it("allows a lane its own provider and its own vendor SDK as an optional peer", () => {
    expect(judge("packages/sdk/alpha", "@asm/alpha")).toBe("ok");
    expect(judge("packages/sdk/alpha", "@asm/beta")).toBe("wrong-provider-for-lane");
    expect(judge("packages/sdk/alpha", "alpha-vendor-sdk", { via: "peerDependencies", optionalPeer: true })).toBe("ok");
    expect(judge("packages/sdk/alpha", "alpha-vendor-sdk", { via: "optionalDependencies" })).toBe("vendor-sdk-not-optional-peer");
    expect(judge("packages/sdk/alpha", "alpha-vendor-sdk", { scope: "dev", via: "devDependencies" })).toBe("ok");
    expect(judge("packages/sdk/alpha", "beta-vendor-sdk", { via: "peerDependencies", optionalPeer: true })).toBe("external-not-allowed");
  });

  it("keeps execa to the core lane and apps, and per-package externals to their package", () => {
    expect(judge("packages/core-lane", "execa")).toBe("ok");
    expect(judge("packages/core", "execa")).toBe("external-not-allowed");
    expect(judge("packages/cli", "execa")).toBe("ok");
    expect(judge("packages/providers/alpha", "execa")).toBe("external-not-allowed");
    expect(judge("packages/providers/alpha", "execa", { scope: "dev", via: "devDependencies" })).toBe("external-not-allowed");
    expect(judge("packages/extensions/pubsub", "phoenix")).toBe("ok");
    expect(judge("packages/extensions/routing", "phoenix")).toBe("external-not-allowed");
  });

  it("leaves packages without a layer to the unknown-layer rule", () => {
    expect(judge("packages/misc/thing", "anything")).toBe("ok");
  });
});
