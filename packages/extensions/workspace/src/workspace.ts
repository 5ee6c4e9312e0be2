import { AsmError, ulid } from "@asm/contract";
import { lstat, realpath, rm, stat } from "node:fs/promises";
import { checkoutTree, diffTrees, gitTopLevel, headOf, loadPinned, pinSnapshot, unpinSnapshot, writeWorkingTree } from "./git-backend.js";
import { diffFiles, hashTree } from "./hash-backend.js";
import { safeTarget } from "./path-safety.js";
import type { Snapshot, SnapshotBackend, SnapshotDiff } from "./snapshot-types.js";

/** Options of {@link snapshot}. */
export interface SnapshotOptions {
  /** `auto` (default): git when `root` is a repository's top level, else hash. */
  backend?: SnapshotBackend | "auto";
}

async function resolveRoot(root: unknown): Promise<string> {
  if (typeof root !== "string" || root === "") throw new AsmError("config_invalid", "root must be a directory path", { details: { key: "root" } });
  const info = await stat(root).catch(() => null);
  if (info === null || !info.isDirectory()) throw new AsmError("config_invalid", `root must be an existing directory: ${root}`, { details: { key: "root" } });
  return realpath(root);
}

/**
 * Records the state of `root`. The git backend writes the working tree (untracked files included,
 * ignored ones not) as a tree through a temporary index, leaving the user's index untouched, and
 * pins it under `refs/asm/snapshots/<id>`; the hash backend digests every file.
 */
export async function snapshot(root: string, options: SnapshotOptions = {}): Promise<Snapshot> {
  const dir = await resolveRoot(root);
  const requested = options.backend ?? "auto";
  if (requested !== "auto" && requested !== "git" && requested !== "hash") {
    throw new AsmError("config_invalid", 'backend must be "auto", "git" or "hash"', { details: { key: "backend" } });
  }
  const top = requested === "hash" ? null : await gitTopLevel(dir);
  const isTop = top !== null && (await realpath(top)) === dir;
  if (requested === "git" && !isTop) throw new AsmError("config_invalid", `root is not the top level of a git repository: ${dir}`, { details: { key: "root" } });
  const id = ulid();
  const capturedAt = new Date().toISOString();
  if (isTop) {
    const state = await writeWorkingTree(dir);
    await pinSnapshot(dir, id, state);
    return { id, backend: "git", root: dir, fingerprint: state.tree, capturedAt, metadata: { repoRoot: dir, tree: state.tree, head: state.head } };
  }
  const { files, fingerprint } = await hashTree(dir);
  return { id, backend: "hash", root: dir, fingerprint, capturedAt, metadata: {}, files };
}

/** A git snapshot taken earlier, by id (from `refs/asm/snapshots/<id>`). Unknown id → `not_found`. */
export async function loadSnapshot(root: string, id: string): Promise<Snapshot> {
  const dir = await resolveRoot(root);
  const state = await loadPinned(dir, id);
  if (state === null) throw new AsmError("not_found", `no snapshot ${id} in ${dir}`, { details: { snapshotId: id } });
  return { id, backend: "git", root: dir, fingerprint: state.tree, capturedAt: "", metadata: { repoRoot: dir, tree: state.tree, head: state.head } };
}

/** Drops a git snapshot's pin (`refs/asm/snapshots/<id>`), so git may collect its objects. Unknown ids are ignored. */
export async function deleteSnapshot(root: string, id: string): Promise<void> {
  await unpinSnapshot(await resolveRoot(root), id);
}

/** What changed from `from` to `to`. Both must come from one backend and one root (`config_invalid` otherwise). */
export async function diff(from: Snapshot, to: Snapshot): Promise<SnapshotDiff> {
  if (from.backend !== to.backend) throw new AsmError("config_invalid", `snapshots come from different backends (${from.backend}, ${to.backend})`, { details: { key: "backend" } });
  if (from.root !== to.root) throw new AsmError("config_invalid", `snapshots come from different roots (${from.root}, ${to.root})`, { details: { key: "root" } });
  const changes = from.backend === "git" ? await diffTrees(from.root, from.fingerprint, to.fingerprint) : diffFiles(from.files ?? {}, to.files ?? {});
  return { backend: from.backend, fromId: from.id, toId: to.id, ...changes };
}

/** A one-line summary: `2 added, 1 modified, 0 deleted`. */
export function summarizeDiff(changes: SnapshotDiff): string {
  return `${changes.added.length} added, ${changes.modified.length} modified, ${changes.deleted.length} deleted`;
}

async function restore(root: string, target: string, current: string): Promise<void> {
  const { added } = await diffTrees(root, target, current);
  // Check every path before deleting any, so an unsafe one stops the rollback before it starts.
  const paths = await Promise.all(added.map((path) => safeTarget(root, path)));
  for (const path of paths) {
    const info = await lstat(path).catch(() => null);
    if (info !== null && !info.isDirectory()) await rm(path, { force: true });
  }
  await checkoutTree(root, target);
}

/**
 * Puts the working tree back to `target` (git snapshots only; the hash backend cannot restore
 * content → `unsupported`). Refused when HEAD moved since the snapshot (`unsupported`: a commit or
 * checkout happened, and rolling back over it would lose it). Files added since are deleted after
 * path-safety checks; if anything fails, the state from just before the rollback is restored and
 * both errors are reported. The user's index is left as it is.
 */
export async function rollback(target: Snapshot): Promise<void> {
  if (target.backend !== "git") throw new AsmError("unsupported", "rollback needs a git snapshot; the hash backend records digests, not content", { details: { key: "backend" } });
  const root = await resolveRoot(target.root);
  const head = await headOf(root);
  if (head !== (target.metadata.head ?? null)) {
    throw new AsmError("unsupported", `HEAD moved since the snapshot (${String(target.metadata.head)} → ${String(head)}); refusing to roll back over it`, {
      details: { snapshotId: target.id, snapshotHead: target.metadata.head ?? null, head },
    });
  }
  const guard = await writeWorkingTree(root);
  try {
    await restore(root, target.fingerprint, guard.tree);
  } catch (error) {
    try {
      await restore(root, guard.tree, (await writeWorkingTree(root)).tree);
    } catch (guardError) {
      throw new AsmError("runtime", `rollback failed and restoring the pre-rollback state failed too: ${String(error)}; ${String(guardError)}`, {
        cause: error,
        details: { snapshotId: target.id, guardTree: guard.tree },
      });
    }
    throw AsmError.from(error, "runtime", { details: { snapshotId: target.id, restoredGuardTree: guard.tree } });
  }
}
