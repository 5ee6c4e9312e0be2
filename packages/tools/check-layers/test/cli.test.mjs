import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, fixture } from "./helpers.mjs";

/**
 * Runs the command line and returns its exit code and output.
 * @param {string[]} args
 */
function run(args) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const emptyDir = mkdtempSync(path.join(tmpdir(), "check-layers-"));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

describe("check-layers command", () => {
  it("prints the layer table, then one summary line, and exits 0 on a clean workspace", () => {
    const { code, stdout } = run(["--root", fixture("clean")]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("check:layers: 10 packages, 47 imports checked, 0 violations");
    // One row per layer, lowest rank first, with the packages found in it.
    expect(lines.slice(0, -1).map((line) => line.replace(/ {2,}/g, "  "))).toEqual([
      "rank 0  contract  @asm/contract — may use: zod",
      "rank 1  provider-utils  @asm/provider-utils — may use: @asm/contract, zod",
      "rank 2  core-lane  @asm/core-lane — may use: @asm/contract, @asm/provider-utils, execa, zod",
      "rank 2  providers  @asm/alpha — may use: @asm/contract, @asm/provider-utils, zod",
      "rank 2  testkit  @asm/testkit — may use: @asm/contract, @asm/provider-utils",
      "rank 3  kernel  @asm/core — may use: @asm/contract, @asm/provider-utils, @asm/core-lane, zod",
      "rank 4  extensions  @asm/pubsub — may use: @asm/contract, @asm/core",
      "rank 5  sdk-lanes  @asm/sdk-alpha — may use: @asm/contract, @asm/provider-utils, @asm/core-lane, @asm/core",
      "rank 6  apps  @asm/cli, @asm/gen — may use: anything",
    ]);
  });

  it("prints one line per violation naming rule, package, dependency and file:line, then exits 1", () => {
    const { code, stdout } = run(["--root", fixture("sibling-extension")]);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split("\n").filter((line) => !line.startsWith("rank "))).toEqual([
      "sibling-extension: @asm/routing → @asm/persistence (dependencies) at packages/extensions/routing/package.json:8 — extensions never depend on one another",
      'sibling-extension: @asm/routing → import "@asm/persistence" at packages/extensions/routing/src/index.ts:2 — extensions never depend on one another',
      "check:layers: 4 packages, 4 imports checked, 2 violations",
    ]);
  });

  it("prints a JSON report with --json", () => {
    const { code, stdout } = run(["--root", fixture("unknown-layer"), "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.stats).toEqual({ packages: 2, dependencies: 2, files: 2, imports: 2 });
    expect(report.violations).toEqual([
      {
        rule: "unknown-layer",
        package: "@asm/thing",
        dir: "packages/misc/thing",
        target: null,
        via: null,
        file: "packages/misc/thing/package.json",
        line: 1,
        message: "folder packages/misc/thing matches no layer in layers.config.json",
      },
    ]);
  });

  it("reads the rules from --config", () => {
    const { code, stdout } = run(["--root", fixture("unknown-layer"), "--config", path.join(fixture("clean"), "layers.config.json")]);
    expect(code).toBe(1);
    expect(stdout).toContain("unknown-layer: @asm/thing");
  });

  it("exits 2 when the workspace cannot be read", () => {
    const { code, stderr } = run(["--root", emptyDir]);
    expect(code).toBe(2);
    expect(stderr).toContain("cannot read layer rules");
  });

  it("exits 2 instead of passing when the workspace lists no packages", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "check-layers-empty-"));
    try {
      copyFileSync(path.join(fixture("clean"), "layers.config.json"), path.join(dir, "layers.config.json"));
      writeFileSync(path.join(dir, "pnpm-workspace.yaml"), "packages: []\n");
      const { code, stderr } = run(["--root", dir]);
      expect(code).toBe(2);
      expect(stderr).toContain("lists no packages");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 on an unknown option", () => {
    const { code, stderr } = run(["--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: check-layers");
  });
});
