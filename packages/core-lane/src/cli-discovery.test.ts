import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAsmError, type CliDiscovery } from "@asm/contract";
import { resolveCli, type CliFileSystem } from "./cli-discovery.js";

const root = mkdtempSync(join(tmpdir(), "asm-discovery-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(path: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, 0o755);
  return path;
}

function discovery(overrides: Partial<CliDiscovery> = {}): CliDiscovery {
  return {
    binaryNames: ["claude-code", "claude"],
    envVar: "CLAUDE_CLI_PATH",
    knownPaths: (env) => [join(env.HOME ?? "/nonexistent", ".claude", "local", "claude")],
    installHint: "Install with: npm install -g @anthropic-ai/claude-code",
    versionArgs: ["--version"],
    parseVersion: () => null,
    supportedVersions: { min: "1.0.0" },
    ...overrides,
  };
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.unreachable("expected a throw");
}

describe("resolveCli (POSIX)", () => {
  const binA = join(root, "a");
  const binB = join(root, "b");
  const home = join(root, "home");
  const claudeInB = executable(join(binB, "claude"));
  const claudeCodeInB = executable(join(binB, "claude-code"));
  const known = executable(join(home, ".claude", "local", "claude"));
  const explicit = executable(join(root, "explicit", "my-claude"));
  mkdirSync(binA, { recursive: true });
  writeFileSync(join(binA, "claude"), "not executable");

  it("prefers the explicit option", () => {
    const cli = resolveCli(discovery(), { cliPath: explicit, env: { PATH: binB, CLAUDE_CLI_PATH: claudeInB }, platform: "linux" });
    expect(cli).toEqual({ command: explicit, prefixArgs: [], path: explicit, source: "option" });
  });

  it("resolves a relative explicit path against cwd", () => {
    const cli = resolveCli(discovery(), { cliPath: "./explicit/my-claude", cwd: root, env: {}, platform: "linux" });
    expect(cli.command).toBe(explicit);
  });

  it("then the profile's environment variable", () => {
    const cli = resolveCli(discovery(), { env: { PATH: binB, CLAUDE_CLI_PATH: explicit }, platform: "linux" });
    expect(cli).toMatchObject({ command: explicit, source: "env" });
  });

  it("looks a bare name in the environment variable up on PATH", () => {
    const cli = resolveCli(discovery(), { env: { PATH: binB, CLAUDE_CLI_PATH: "claude" }, platform: "linux" });
    expect(cli).toMatchObject({ command: claudeInB, source: "env" });
  });

  it("then PATH, in binaryNames order, skipping files that are not executable", () => {
    expect(resolveCli(discovery(), { env: { PATH: `${binA}:${binB}` }, platform: "linux" })).toMatchObject({
      command: claudeCodeInB,
      source: "path",
    });
    expect(resolveCli(discovery({ binaryNames: ["claude"] }), { env: { PATH: `${binA}:${binB}` }, platform: "linux" }).command).toBe(claudeInB);
  });

  it("then the known paths", () => {
    expect(resolveCli(discovery(), { env: { PATH: binA, HOME: home }, platform: "linux" })).toMatchObject({
      command: known,
      source: "known_path",
    });
  });

  it("fails with cli_not_found naming the hint and every place looked", () => {
    const error = catchError(() => resolveCli(discovery(), { env: { PATH: binA, HOME: join(root, "nohome") }, platform: "linux" }));
    expect(isAsmError(error) && error.code).toBe("cli_not_found");
    const message = (error as Error).message;
    expect(message).toContain("npm install -g @anthropic-ai/claude-code");
    expect(message).toContain("CLAUDE_CLI_PATH");
    expect(message).toContain(join(binA, "claude-code"));
    expect(message).toContain(join(binA, "claude"));
    expect(message).toContain(join(root, "nohome", ".claude", "local", "claude"));
    expect((error as { details: { searched: string[] } }).details.searched).toHaveLength(3);
  });

  it("lists each place once when PATH names a directory twice", () => {
    const error = catchError(() => resolveCli(discovery(), { env: { PATH: `${binA}:${binA}:${binA}`, HOME: join(root, "nohome") }, platform: "linux" }));
    const searched = (error as { details: { searched: string[] } }).details.searched;
    expect(searched).toHaveLength(3);
    expect(new Set(searched).size).toBe(searched.length);
    const message = (error as Error).message;
    expect(message.split(join(binA, "claude-code")).length - 1).toBe(1);
  });

  it("fails when an explicit path does not exist or is not executable", () => {
    for (const cliPath of [join(root, "missing"), join(binA, "claude")]) {
      const error = catchError(() => resolveCli(discovery(), { cliPath, env: { PATH: binB }, platform: "linux" }));
      expect(isAsmError(error) && error.code).toBe("cli_not_found");
      expect((error as Error).message).toContain(cliPath);
    }
    const fromEnv = catchError(() => resolveCli(discovery(), { env: { PATH: binB, CLAUDE_CLI_PATH: join(root, "gone") }, platform: "linux" }));
    expect((fromEnv as Error).message).toContain("CLAUDE_CLI_PATH points to");
  });
});

describe("resolveCli (Windows, simulated file system)", () => {
  const shim = readFileSync(new URL("./__fixtures__/claude.cmd", import.meta.url), "utf8");
  const native = readFileSync(new URL("./__fixtures__/codex-native.cmd", import.meta.url), "utf8");

  function fakeFs(files: Record<string, string>): CliFileSystem {
    const lower = new Map(Object.entries(files).map(([path, text]) => [path.toLowerCase(), text]));
    return {
      isExecutableFile: (path) => lower.has(path.toLowerCase()),
      readText: (path) => lower.get(path.toLowerCase()) ?? null,
    };
  }

  const npmDir = "C:\\Users\\me\\AppData\\Roaming\\npm";

  it("resolves a .cmd shim found through PATH and PATHEXT to node and the script", () => {
    const fileSystem = fakeFs({ [`${npmDir}\\claude.cmd`]: shim, [`${npmDir}\\claude`]: "#!/bin/sh" });
    const cli = resolveCli(discovery({ binaryNames: ["claude"] }), {
      env: { Path: `C:\\Windows;${npmDir}`, PATHEXT: ".COM;.EXE;.BAT;.CMD" },
      platform: "win32",
      fileSystem,
      nodePath: "C:\\Program Files\\nodejs\\node.exe",
    });
    expect(cli).toEqual({
      command: "C:\\Program Files\\nodejs\\node.exe",
      prefixArgs: [`${npmDir}\\node_modules\\@anthropic-ai\\claude-code\\cli.js`],
      path: `${npmDir}\\claude.cmd`,
      source: "path",
    });
  });

  it("prefers a node.exe next to the shim", () => {
    const fileSystem = fakeFs({ [`${npmDir}\\claude.cmd`]: shim, [`${npmDir}\\node.exe`]: "" });
    const cli = resolveCli(discovery({ binaryNames: ["claude"] }), { env: { PATH: npmDir }, platform: "win32", fileSystem });
    expect(cli.command).toBe(`${npmDir}\\node.exe`);
  });

  it("runs the native program a shim wraps", () => {
    const fileSystem = fakeFs({ [`${npmDir}\\codex.cmd`]: native });
    const cli = resolveCli(discovery({ binaryNames: ["codex"] }), { cliPath: `${npmDir}\\codex.cmd`, env: {}, platform: "win32", fileSystem });
    expect(cli).toMatchObject({ command: `${npmDir}\\node_modules\\@openai\\codex\\bin\\codex.exe`, prefixArgs: [], source: "option" });
  });

  it("refuses a batch file it cannot see through", () => {
    const fileSystem = fakeFs({ [`${npmDir}\\claude.cmd`]: "@echo off\r\necho hi\r\n" });
    const error = catchError(() => resolveCli(discovery({ binaryNames: ["claude"] }), { env: { PATH: npmDir }, platform: "win32", fileSystem }));
    expect(isAsmError(error) && error.code).toBe("cli_not_found");
  });

  it("does not take the extensionless npm shell script for a program", () => {
    const fileSystem = fakeFs({ [`${npmDir}\\claude`]: "#!/bin/sh" });
    const error = catchError(() => resolveCli(discovery({ binaryNames: ["claude"], knownPaths: () => [] }), { env: { PATH: npmDir }, platform: "win32", fileSystem }));
    expect(isAsmError(error) && error.code).toBe("cli_not_found");
    expect((error as Error).message).toContain(`${npmDir}\\claude.cmd`);
  });
});
