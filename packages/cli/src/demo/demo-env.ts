import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAUDE_QUIET_ENV } from "@asm/testkit";

/** Throwaway folders for one demo run. */
export interface DemoDirs {
  root: string;
  home: string;
  configDir: string;
  tmpDir: string;
  workDir: string;
  remove(): void;
}

/** Creates an empty HOME, Claude config folder, TMPDIR and working folder under one temp root. */
export function createDemoDirs(): DemoDirs {
  const root = mkdtempSync(join(tmpdir(), "asm-demo-"));
  const home = join(root, "home");
  const configDir = join(home, ".claude");
  const tmpDir = join(root, "tmp");
  const workDir = join(root, "work");
  for (const dir of [home, configDir, tmpDir, workDir]) mkdirSync(dir, { recursive: true });
  return { root, home, configDir, tmpDir, workDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Variables kept from the caller's environment; everything else is removed for the CLI. */
const KEPT = new Set(["PATH", "LANG", "LC_ALL", "TERM"]);

/**
 * The CLI environment as run options expect it: every inherited variable removed (`undefined`)
 * except PATH, locale and TERM — so no real key, config or proxy setting leaks in — then `vars`.
 */
export function isolatedEnv(inherited: Readonly<Record<string, string | undefined>>, vars: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(inherited)) if (!KEPT.has(key)) env[key] = undefined;
  return { ...env, ...vars };
}

/** The environment for the real `claude` against the fake server: throwaway HOME, dummy key, quiet. */
export function claudeDemoEnv(dirs: DemoDirs, baseUrl: string): Record<string, string> {
  return {
    HOME: dirs.home,
    CLAUDE_CONFIG_DIR: dirs.configDir,
    TMPDIR: dirs.tmpDir,
    SHELL: "/bin/sh",
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-demo-dummy-key",
    ...CLAUDE_QUIET_ENV,
    // Claude refuses its bypass mode as root unless it is told it runs in a sandbox (it does: a
    // throwaway HOME in a network namespace with only loopback).
    IS_SANDBOX: "1",
  };
}
