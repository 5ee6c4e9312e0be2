import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { AsmError } from "@asm/contract";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock file `path` for this process (created exclusively, holding the pid). A lock
 * whose owner is dead (a writer killed with SIGKILL) is taken over; a live owner's lock →
 * `AsmError("store_unavailable")`, so two writers can never interleave lines in one folder.
 * Returns the release function.
 */
export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    } catch {
      // Removed between our open and read: try again.
      continue;
    }
    if (Number.isInteger(owner) && alive(owner)) {
      throw new AsmError("store_unavailable", `file store is locked by process ${owner} (${path}); one writer per folder`, {
        details: { store: "file", lock: path, ownerPid: owner },
      });
    }
    // A dead owner (killed before it could release): take the lock over.
    try {
      unlinkSync(path);
    } catch {
      // Someone else took it over first; the next attempt sees their pid.
    }
  }
  throw new AsmError("store_unavailable", `could not take the file store lock ${path}`, { details: { store: "file", lock: path } });
}
