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
  it("prints one summary line and exits 0 on a clean workspace", () => {
    const { code, stdout } = run(["--root", fixture("clean")]);
    expect(code).toBe(0);
    expect(stdout).toBe("check:layers: 10 packages, 47 imports checked, 0 violations\n");
  });

  it("prints one line per violation naming rule, package, dependency and file:line, then exits 1", () => {
    const { code, stdout } = run(["--root", fixture("sibling-extension")]);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split("\n")).toEqual([
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
