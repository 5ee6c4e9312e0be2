// The workspace extension: snapshots of a working directory (git or hash), what changed between
// two, rollback, git worktrees for isolated sessions, and a plug that records each run's changes.

/** Snapshots, diffs and rollback. */
export { snapshot, loadSnapshot, deleteSnapshot, diff, rollback, summarizeDiff } from "./workspace.js";
export type { SnapshotOptions } from "./workspace.js";
export type { Snapshot, SnapshotBackend, SnapshotDiff } from "./snapshot-types.js";
/** Git worktrees. */
export { createWorktree } from "./worktree.js";
export type { Worktree, WorktreeOptions } from "./worktree.js";
/** The plug that attaches each run's diff to its result. */
export { snapshotPlug } from "./snapshot-plug.js";
export type { RunWorkspaceChange } from "./snapshot-plug.js";
