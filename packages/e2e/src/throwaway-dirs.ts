import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private set of directories for one CLI run: nothing of the real home is visible to it. */
export interface ThrowawayDirs {
  /** The directory holding all the others. */
  root: string;
  /** `HOME`. */
  home: string;
  /** `CLAUDE_CONFIG_DIR` (`$HOME/.claude`). */
  configDir: string;
  /** `TMPDIR`. */
  tmpDir: string;
  /** The CLI's working directory (empty). */
  cwd: string;
  /** Removes everything. */
  cleanup(): Promise<void>;
}

/** Creates fresh, empty HOME, config, TMPDIR and working directories under the system temp directory. */
export async function createThrowawayDirs(prefix = "asm-e2e-"): Promise<ThrowawayDirs> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const home = join(root, "home");
  const configDir = join(home, ".claude");
  const tmpDir = join(root, "tmp");
  const cwd = join(root, "work");
  await Promise.all([mkdir(configDir, { recursive: true }), mkdir(tmpDir), mkdir(cwd)]);
  return {
    root,
    home,
    configDir,
    tmpDir,
    cwd,
    cleanup: () => rm(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}
