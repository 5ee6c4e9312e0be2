import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";
import type { CliReport } from "./doctor.js";

let dir: string;

// Run in the throwaway folder, so this repository's own pinned CLIs are not found.
function doctorIo(env: Record<string, string>) {
  const io = captureIo(env);
  io.cwd = dir;
  return io;
}

function fakeBinary(name: string, versionOutput: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho "${versionOutput}"\n`);
  chmodSync(path, 0o755);
  return path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "asm-doctor-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("asm doctor", () => {
  it("finds CLIs on PATH, reads their versions and checks them against the supported ranges", async () => {
    const claude = fakeBinary("claude", "2.1.329 (Claude Code)");
    fakeBinary("codex", "codex-cli 0.120.0");
    const io = doctorIo({ PATH: dir, HOME: dir });
    expect(await main(["doctor", "--json"], io)).toBe(0);
    const reports = JSON.parse(io.out()) as CliReport[];
    expect(reports.map((report) => report.provider)).toEqual(["claude", "codex", "gemini", "amp"]);
    const [claudeReport, codexReport, geminiReport] = reports;
    expect(claudeReport).toMatchObject({ installed: true, path: claude, source: "path", version: "2.1.329", supported: true, envVar: "CLAUDE_CLI_PATH" });
    expect(codexReport).toMatchObject({ installed: true, version: "0.120.0", supported: false, supportedVersions: ">=0.169.0 <0.172.0" });
    expect(geminiReport).toMatchObject({ installed: false, path: null, version: null });
    expect(geminiReport!.searched).toContain(join(dir, "gemini"));
    for (const report of reports) {
      expect(report.installHint).not.toBe("");
      expect(report.authHint).not.toBe("");
    }
  });

  it("honours the provider's env var and prints a readable report", async () => {
    const custom = fakeBinary("my-gemini", "0.61.0");
    const io = doctorIo({ PATH: dir, HOME: dir, GEMINI_CLI_PATH: custom });
    expect(await main(["doctor", "--provider", "gemini"], io)).toBe(0);
    const text = io.out();
    expect(text).toContain("gemini\n  ✔ 0.61.0 (supported >=0.61.0 <0.62.0)");
    expect(text).toContain(`binary: ${custom} (from its env var)`);
    expect(text).toContain("sign in: set GEMINI_API_KEY");
    expect(text).toContain("1 of 1 provider CLIs installed");
  });

  it("says how to install a missing CLI", async () => {
    const io = doctorIo({ PATH: dir, HOME: dir });
    expect(await main(["doctor", "--provider", "amp"], io)).toBe(0);
    expect(io.out()).toMatch(/✖ not installed \(looked in \d+ places: PATH, node_modules\/\.bin, known locations\)/);
    expect(io.out()).toContain("install: npm install -g @sourcegraph/amp, then run `amp login` (or set AMP_API_KEY), or point AMP_CLI_PATH or --cli-path at it");
    // The install hint already says how to sign in: not a second time.
    expect(io.out().match(/amp login/g)).toHaveLength(1);
  });

  it("finds the CLIs a workspace pins in node_modules/.bin, from any folder in it", async () => {
    writeFileSync(join(dir, "pnpm-workspace.yaml"), "packages:\n  - 'packages/*'\n");
    const bin = join(dir, "packages", "tools", "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    const pinned = join(bin, "claude");
    writeFileSync(pinned, '#!/bin/sh\necho "2.1.329 (Claude Code)"\n');
    chmodSync(pinned, 0o755);
    mkdirSync(join(dir, "packages", "app", "src"), { recursive: true });
    for (const cwd of [dir, join(dir, "packages", "app", "src")]) {
      const io = doctorIo({ PATH: "/nonexistent", HOME: dir });
      io.cwd = cwd;
      expect(await main(["doctor", "--provider", "claude"], io)).toBe(0);
      expect(io.out()).toContain(`binary: ${pinned} (pinned in this workspace)`);
      expect(io.out()).toContain(`run it with --cli-path ${pinned}, or set CLAUDE_CLI_PATH`);
    }
  });
});

describe("asm providers", () => {
  it("prints each provider's permission modes and common features as JSON", async () => {
    const io = captureIo();
    expect(await main(["providers", "--json"], io)).toBe(0);
    const entries = JSON.parse(io.out()) as Array<{
      provider: string;
      permissionModes: Record<string, { nativeMode?: string; cliArgs?: string[]; unsupported?: string }>;
      manifest: { commonFeatures: Record<string, { supported: boolean }>; permissionModes: Record<string, { normalizedMode: string }> };
    }>;
    const byName = Object.fromEntries(entries.map((entry) => [entry.provider, entry]));
    expect(Object.keys(byName)).toEqual(["claude", "codex", "gemini", "amp"]);
    expect(byName.claude!.permissionModes.bypass).toMatchObject({ nativeMode: "bypassPermissions", cliArgs: ["--permission-mode", "bypassPermissions"] });
    expect(byName.codex!.permissionModes.auto!.unsupported).toBeTruthy();
    expect(byName.codex!.permissionModes.bypass!.cliArgs).toEqual(["--dangerously-bypass-approvals-and-sandbox"]);
    expect(byName.gemini!.permissionModes.bypass!.cliArgs).toEqual(["--yolo"]);
    expect(byName.amp!.permissionModes.bypass!.cliArgs).toEqual(["--dangerously-allow-all"]);
    expect(byName.claude!.manifest.commonFeatures.ollama!.supported).toBe(true);
    expect(byName.gemini!.manifest.commonFeatures.ollama!.supported).toBe(false);
    expect(byName.gemini!.manifest.permissionModes.yolo!.normalizedMode).toBe("bypass");
  });

  it("prints a readable table for one provider", async () => {
    const io = captureIo();
    expect(await main(["providers", "--provider", "codex"], io)).toBe(0);
    expect(io.out()).toMatch(/^codex — /);
    expect(io.out()).toMatch(/bypass\s+yolo\s+--dangerously-bypass-approvals-and-sandbox/);
    expect(io.out()).toMatch(/auto\s+unsupported — /);
    expect(io.out()).not.toContain("claude —");
  });
});
