import { describe, expect, it } from "vitest";
import { bumpedSpec, pinsInManifest, widenedSupportedRange, withSpec } from "./pins.js";
import { compareVersions, nextBreakingBound } from "./semver.js";

const MANIFEST = `{
  "name": "x",
  "peerDependencies": {
    "@anthropic-ai/claude-agent-sdk": ">=0.3.329 <0.4.0"
  },
  "devDependencies": {
    "@anthropic-ai/claude-agent-sdk": "0.3.329",
    "@openai/codex": "0.169.0",
    "other": "1.0.0"
  }
}
`;

describe("pins", () => {
  it("finds the tracked packages in every dependency section", () => {
    expect(pinsInManifest("p/package.json", MANIFEST, new Set(["@anthropic-ai/claude-agent-sdk", "@openai/codex"]))).toEqual([
      { file: "p/package.json", section: "devDependencies", name: "@anthropic-ai/claude-agent-sdk", spec: "0.3.329" },
      { file: "p/package.json", section: "devDependencies", name: "@openai/codex", spec: "0.169.0" },
      { file: "p/package.json", section: "peerDependencies", name: "@anthropic-ai/claude-agent-sdk", spec: ">=0.3.329 <0.4.0" },
    ]);
  });

  it("moves exact pins forward only, widens a range only when the version is past it, leaves other specs", () => {
    expect(bumpedSpec("2.1.329", "2.1.332")).toBe("2.1.332");
    expect(bumpedSpec("2.1.332", "2.1.329")).toBe("2.1.332");
    expect(bumpedSpec(">=0.3.329 <0.4.0", "0.3.337")).toBe(">=0.3.329 <0.4.0");
    expect(bumpedSpec(">=0.169.0 <0.170.0", "0.171.0")).toBe(">=0.169.0 <0.172.0");
    expect(bumpedSpec("^1.2.3", "2.0.0")).toBe("^1.2.3");
    expect(bumpedSpec("workspace:*", "2.0.0")).toBe("workspace:*");
  });

  it("rewrites one spec in place, keeping the rest of the file byte for byte", () => {
    const next = withSpec(MANIFEST, "@openai/codex", "0.169.0", "0.171.0");
    expect(next).toBe(MANIFEST.replace('"@openai/codex": "0.169.0"', '"@openai/codex": "0.171.0"'));
    // The peer range of the same package is another spec and stays.
    expect(withSpec(MANIFEST, "@anthropic-ai/claude-agent-sdk", "0.3.329", "0.3.337")).toContain('">=0.3.329 <0.4.0"');
  });

  it("widens a profile's supported range past a newer version, and leaves one that admits it", () => {
    const source = 'supportedVersions: { min: "0.169.0", maxExclusive: "0.170.0" },';
    expect(widenedSupportedRange(source, "0.171.0")).toEqual({ from: "0.170.0", to: "0.172.0", source: 'supportedVersions: { min: "0.169.0", maxExclusive: "0.172.0" },' });
    expect(widenedSupportedRange('{ min: "2.1.0", maxExclusive: "3.0.0" }', "2.1.332")).toBeNull();
    expect(widenedSupportedRange("no range here", "1.0.0")).toBeNull();
  });
});

describe("semver", () => {
  it("orders versions numerically, a pre-release before its release", () => {
    expect(compareVersions("0.171.0", "0.99.0")).toBeGreaterThan(0);
    expect(compareVersions("2.1.332", "2.1.332")).toBe(0);
    expect(compareVersions("0.170.0-alpha.2", "0.170.0")).toBeLessThan(0);
  });

  it("bounds a 0.x line at the next minor and others at the next major", () => {
    expect(nextBreakingBound("0.171.0")).toBe("0.172.0");
    expect(nextBreakingBound("2.1.332")).toBe("3.0.0");
  });
});
