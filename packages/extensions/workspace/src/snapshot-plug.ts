import { isOutcomeEvent } from "@asm/contract";
import { pass, type PipelinePlug } from "@asm/core";
import type { Snapshot, SnapshotDiff } from "./snapshot-types.js";
import { diff, snapshot, summarizeDiff, type SnapshotOptions } from "./workspace.js";

/** What the snapshot plug attaches to a run's outcome, as `metadata.workspace` of its result. */
export interface RunWorkspaceChange {
  /** Roll back to this id (`rollback(await loadSnapshot(root, beforeId))`) to undo the run. */
  beforeId: string;
  afterId: string;
  backend: Snapshot["backend"];
  root: string;
  added: string[];
  modified: string[];
  deleted: string[];
  summary: string;
}

const BEFORE = "workspace.before";

/**
 * A plug that snapshots `root` before the run's backend starts (before the CLI is spawned, so
 * nothing the agent does can slip into the "before" picture) and again at its outcome, and
 * attaches the diff to the outcome's metadata (so `Result.metadata.workspace` says what the run
 * changed). A snapshot failure fails the run (`runtime`) — before the agent starts, when it is
 * the first snapshot: a caller that asked for a record of the changes does not get a run without
 * one.
 */
export function snapshotPlug(root: string, options: SnapshotOptions = {}): PipelinePlug {
  return {
    name: "workspace-snapshot",
    async beforeStart(context) {
      context.state[BEFORE] = await snapshot(root, options);
    },
    async handle(event, context) {
      const before = context.state[BEFORE] as Snapshot | undefined;
      if (before === undefined || !isOutcomeEvent(event)) return pass(event);
      const after = await snapshot(root, options);
      const changes: SnapshotDiff = await diff(before, after);
      const workspace: RunWorkspaceChange = {
        beforeId: before.id,
        afterId: after.id,
        backend: before.backend,
        root: before.root,
        added: changes.added,
        modified: changes.modified,
        deleted: changes.deleted,
        summary: summarizeDiff(changes),
      };
      return pass({ ...event, metadata: { ...event.metadata, workspace } });
    },
  };
}
