import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsmError, type Invocation } from "@asm/contract";

/** Prefix of the private folders holding a run's files; the reaper only removes folders named so. */
export const RUN_FILES_PREFIX = "asm-run-";

const KEY = /^[A-Za-z0-9_.-]+$/;
const TOKEN = /\$\{file:([^}]*)\}/g;

/** The files of one run, written to a private folder. */
export interface InvocationFiles {
  /** The private folder (mode 0700), or null when the invocation has no files. */
  readonly dir: string | null;
  /** Absolute path of each file by key. */
  readonly paths: ReadonlyMap<string, string>;
  /** Replaces every `${file:<key>}` token in the arguments with the file's path. */
  substitute(args: readonly string[]): string[];
  /** Removes the folder and its files. Idempotent; never throws. */
  cleanup(): Promise<void>;
  /** Synchronous {@link cleanup}, for process-exit handlers. */
  cleanupSync(): void;
}

/** Options of {@link writeInvocationFiles}. */
export interface WriteInvocationFilesOptions {
  /** Parent folder; defaults to the OS temp folder. */
  tmpDir?: string;
}

/**
 * Writes an invocation's `files` to a fresh private folder (0700, files 0600) so long prompts and
 * schemas stay off the command line, and returns how to substitute their paths and remove them.
 * Throws `AsmError("config_invalid")` for a bad or duplicate key, and when an argument refers to a
 * key that has no file.
 *
 * @example
 * ```ts
 * const files = writeInvocationFiles(invocation.files);
 * try { spawn(cmd, files.substitute(invocation.args)); } finally { await files.cleanup(); }
 * ```
 */
export function writeInvocationFiles(
  files: Invocation["files"],
  options: WriteInvocationFilesOptions = {},
): InvocationFiles {
  const paths = new Map<string, string>();
  let dir: string | null = null;
  const list = files ?? [];
  const keys = new Set<string>();
  for (const file of list) {
    if (!KEY.test(file.key)) {
      throw new AsmError("config_invalid", `invalid invocation file key ${JSON.stringify(file.key)}: use letters, digits, _ . -`);
    }
    if (keys.has(file.key)) throw new AsmError("config_invalid", `duplicate invocation file key ${file.key}`);
    keys.add(file.key);
  }
  let removed = false;
  const cleanupSync = (): void => {
    if (removed || dir === null) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  if (list.length > 0) {
    // mkdtemp creates the folder with mode 0700.
    dir = mkdtempSync(join(options.tmpDir ?? tmpdir(), RUN_FILES_PREFIX));
    try {
      for (const file of list) {
        const path = join(dir, file.key);
        writeFileSync(path, file.content, { mode: 0o600, flag: "wx" });
        paths.set(file.key, path);
      }
    } catch (error) {
      cleanupSync();
      throw new AsmError("runtime", `could not write the run's files: ${(error as Error).message}`, { cause: error });
    }
  }
  const folder = dir;
  return {
    dir: folder,
    paths,
    substitute(args) {
      return args.map((arg) =>
        arg.replace(TOKEN, (_token, key: string) => {
          const path = paths.get(key);
          if (path === undefined) {
            throw new AsmError("config_invalid", `argument refers to \${file:${key}}, but the invocation has no file ${key}`);
          }
          return path;
        }),
      );
    },
    async cleanup() {
      if (removed || folder === null) return;
      removed = true;
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    },
    cleanupSync() {
      try {
        cleanupSync();
      } catch {
        // Best effort: the reaper retries folders of dead hosts.
      }
    },
  };
}
