import { copyFile, mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { git, gitOrNull } from "./internal/git.js";

/** What a git snapshot records. */
export interface GitState {
  tree: string;
  head: string | null;
}

/** The repository's top level when `root` is one (real path), else null. */
export async function gitTopLevel(root: string): Promise<string | null> {
  const top = await gitOrNull(["rev-parse", "--show-toplevel"], { cwd: root });
  return top === null ? null : top.trim();
}

/** The commit HEAD points at, or null in a repository without commits. */
export async function headOf(root: string): Promise<string | null> {
  const head = await gitOrNull(["rev-parse", "-q", "--verify", "HEAD^{commit}"], { cwd: root });
  return head === null ? null : head.trim();
}

/**
 * Runs `use` with a private index file seeded from the repository's own (so unchanged files are
 * not re-hashed). The user's index is never written; the copy is removed afterwards.
 */
async function withTemporaryIndex<T>(root: string, use: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "asm-index-"));
  try {
    const indexFile = join(dir, "index");
    const real = (await git(["rev-parse", "--git-path", "index"], { cwd: root })).trim();
    await copyIndex(isAbsolute(real) ? real : resolve(root, real), indexFile);
    return await use({ GIT_INDEX_FILE: indexFile });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Copies an index file with its timestamps. Git trusts an entry whose file has the size and mtime
 * it recorded unless the entry is "racily clean" (the file changed in the same tick the index was
 * written), which it tells by comparing with the index file's own mtime; a copy stamped "now"
 * would hide that, and a file rewritten with the same size right after a commit would be taken
 * as unchanged. No index yet (a new repository) leaves nothing to copy.
 */
async function copyIndex(from: string, to: string): Promise<void> {
  let times;
  try {
    times = await stat(from);
  } catch {
    return;
  }
  await copyFile(from, to);
  await utimes(to, times.atime, times.mtime);
}

/** Writes the working tree (tracked and untracked files, ignored ones excluded) as a tree object. */
export async function writeWorkingTree(root: string): Promise<GitState> {
  const tree = await withTemporaryIndex(root, async (env) => {
    await git(["add", "-A", "--", "."], { cwd: root, env });
    return (await git(["write-tree"], { cwd: root, env })).trim();
  });
  return { tree, head: await headOf(root) };
}

/** Pins a snapshot's tree under `refs/asm/snapshots/<id>` so `gc` keeps it and it can be loaded by id. */
export async function pinSnapshot(root: string, id: string, state: GitState): Promise<void> {
  const message = JSON.stringify({ asmSnapshot: id, head: state.head });
  const commit = (await git(["commit-tree", state.tree, "-m", message], { cwd: root })).trim();
  await git(["update-ref", `refs/asm/snapshots/${id}`, commit], { cwd: root });
}

/** A pinned snapshot's tree and HEAD, or null when the id is unknown. */
export async function loadPinned(root: string, id: string): Promise<GitState | null> {
  const body = await gitOrNull(["cat-file", "commit", `refs/asm/snapshots/${id}`], { cwd: root });
  if (body === null) return null;
  const tree = /^tree ([0-9a-f]+)$/m.exec(body)?.[1];
  const message = body.slice(body.indexOf("\n\n") + 2).trim();
  let head: string | null = null;
  try {
    const parsed = JSON.parse(message) as { head?: unknown };
    head = typeof parsed.head === "string" ? parsed.head : null;
  } catch {
    head = null;
  }
  return tree === undefined ? null : { tree, head };
}

/** Removes a snapshot's pin. */
export async function unpinSnapshot(root: string, id: string): Promise<void> {
  await gitOrNull(["update-ref", "-d", `refs/asm/snapshots/${id}`], { cwd: root });
}

/** Paths added, modified and deleted from tree `from` to tree `to`. */
export async function diffTrees(root: string, from: string, to: string): Promise<{ added: string[]; modified: string[]; deleted: string[] }> {
  const out = await git(["diff-tree", "-r", "-z", "--no-renames", "--name-status", from, to], { cwd: root });
  const parts = out.split("\0").filter((part) => part !== "");
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i] as string;
    const path = parts[i + 1] as string;
    if (status === "A") added.push(path);
    else if (status === "D") deleted.push(path);
    else modified.push(path);
  }
  return { added: added.sort(), modified: modified.sort(), deleted: deleted.sort() };
}

/** Writes every file of `tree` into the working tree through a private index (the user's stays as it is). */
export async function checkoutTree(root: string, tree: string): Promise<void> {
  await withTemporaryIndex(root, async (env) => {
    await git(["read-tree", tree], { cwd: root, env });
    await git(["checkout-index", "-a", "-f"], { cwd: root, env });
  });
}
