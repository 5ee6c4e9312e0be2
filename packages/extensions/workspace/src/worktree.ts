import { AsmError } from "@asm/contract";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitTopLevel } from "./git-backend.js";
import { git } from "./internal/git.js";

/** Options of {@link createWorktree}. */
export interface WorktreeOptions {
  /** The branch to create for the worktree (must not exist yet). */
  branch: string;
  /** What the branch starts from (default `HEAD`). */
  base?: string;
  /** Where the worktree goes (default: a new temporary directory). */
  path?: string;
}

/** A git worktree on its own branch, for running a session in isolation. */
export interface Worktree {
  path: string;
  branch: string;
  /** The repository it belongs to. */
  repoRoot: string;
  /**
   * Removes the worktree (uncommitted changes in it are discarded) and, unless `keepBranch`, its
   * branch. Safe to call twice.
   */
  remove(options?: { keepBranch?: boolean }): Promise<void>;
}

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/;

/**
 * Creates a worktree of `repo` on a new branch, so an agent can change files without touching the
 * user's checkout; `remove()` cleans it up. Bad input is `config_invalid` naming the field.
 */
export async function createWorktree(repo: string, options: WorktreeOptions): Promise<Worktree> {
  if (typeof options !== "object" || options === null || typeof options.branch !== "string" || !BRANCH.test(options.branch)) {
    throw new AsmError("config_invalid", "branch must be a valid new branch name", { details: { key: "branch" } });
  }
  const top = typeof repo === "string" ? await gitTopLevel(repo) : null;
  if (top === null) throw new AsmError("config_invalid", `repo must be a git repository: ${String(repo)}`, { details: { key: "repo" } });
  const repoRoot = await realpath(top);
  const created = options.path === undefined;
  const path = options.path ?? join(await mkdtemp(join(tmpdir(), "asm-worktree-")), "tree");
  try {
    await git(["worktree", "add", "-b", options.branch, path, options.base ?? "HEAD"], { cwd: repoRoot });
  } catch (error) {
    if (created) await rm(join(path, ".."), { recursive: true, force: true });
    throw error;
  }
  let removed = false;
  return {
    path: await realpath(path),
    branch: options.branch,
    repoRoot,
    async remove(removeOptions = {}) {
      if (removed) return;
      removed = true;
      await git(["worktree", "remove", "--force", path], { cwd: repoRoot }).catch(() => undefined);
      await git(["worktree", "prune"], { cwd: repoRoot });
      if (created) await rm(join(path, ".."), { recursive: true, force: true });
      if (removeOptions.keepBranch !== true) await git(["branch", "-D", options.branch], { cwd: repoRoot });
    },
  };
}
