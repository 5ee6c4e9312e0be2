import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ThrowawayDirs } from "./throwaway-dirs.js";
import { CLAUDE_QUIET_ENV } from "@asm/testkit";

/** The dummy key the fake server accepts (it never checks it). */
export const DUMMY_ANTHROPIC_KEY = "sk-ant-dummy-key";

/** Name of the variable that tags every process a test starts (it is inherited by tool children). */
export const MARKER_VAR = "ASM_E2E_MARKER";


/** Options of {@link claudeEnv}. */
export interface ClaudeEnvOptions {
  /** The fake Anthropic server's base URL (`http://127.0.0.1:PORT`). */
  baseUrl: string;
  /** The run's throwaway directories. */
  dirs: ThrowawayDirs;
  /** Bounds Claude's retries (it retries 401 as well as 5xx); set it small in error tests. */
  maxRetries?: number;
  /** Value of {@link MARKER_VAR}, to find the run's processes later. */
  marker?: string;
  /** Extra variables. */
  extra?: Record<string, string>;
}

/**
 * The complete environment for a real `claude` run against a fake server: only PATH and SHELL come
 * from this process (no real credentials or config leak in), HOME/CLAUDE_CONFIG_DIR/TMPDIR are
 * throwaway, all non-model traffic is off, and `IS_SANDBOX=1` lets the bypass flag run as root.
 */
export function claudeEnv(options: ClaudeEnvOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    SHELL: existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh",
    LANG: "C.UTF-8",
    HOME: options.dirs.home,
    CLAUDE_CONFIG_DIR: options.dirs.configDir,
    TMPDIR: options.dirs.tmpDir,
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: DUMMY_ANTHROPIC_KEY,
    ...CLAUDE_QUIET_ENV,
    IS_SANDBOX: "1",
    ...(options.maxRetries === undefined ? {} : { CLAUDE_CODE_MAX_RETRIES: String(options.maxRetries) }),
    ...(options.marker === undefined ? {} : { [MARKER_VAR]: options.marker }),
    ...options.extra,
  };
}

/**
 * Absolute path of the pinned `claude` binary installed in this package, or null when it is
 * missing or not executable.
 */
export function claudeCliPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve("@anthropic-ai/claude-code/package.json");
    const binary = join(dirname(manifest), "bin", "claude.exe");
    accessSync(binary, constants.X_OK);
    return binary;
  } catch (_error) {
    return null;
  }
}
