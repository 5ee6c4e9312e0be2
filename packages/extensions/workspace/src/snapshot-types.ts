/** How a snapshot was taken: `git` (a tree written through a temporary index) or `hash` (file digests). */
export type SnapshotBackend = "git" | "hash";

/** The state of a directory at one moment. */
export interface Snapshot {
  /** Unique id; a git snapshot is also pinned under `refs/asm/snapshots/<id>` so it can be loaded later. */
  id: string;
  backend: SnapshotBackend;
  /** The directory (real path). */
  root: string;
  /** Identifies the content: the git tree id, or a sha256 over every file's digest. */
  fingerprint: string;
  /** ISO-8601 time it was taken. */
  capturedAt: string;
  /** Git: `repoRoot`, `tree`, `head` (null in a repository without commits). */
  metadata: Record<string, unknown>;
  /** Hash backend: path → digest (`sha256:<hex>` or `symlink:<target>`). */
  files?: Readonly<Record<string, string>>;
}

/** What changed between two snapshots (paths relative to the root, sorted). */
export interface SnapshotDiff {
  backend: SnapshotBackend;
  fromId: string;
  toId: string;
  added: string[];
  modified: string[];
  deleted: string[];
}
