import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * Digests every file under `root` (skipping `.git`): regular files by sha256, symlinks by their
 * target (never followed), other kinds skipped. Returns the map and its fingerprint.
 */
export async function hashTree(root: string): Promise<{ files: Record<string, string>; fingerprint: string }> {
  const files: Record<string, string> = {};
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name === ".git") continue;
      const path = join(dir, entry.name);
      const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) files[relative] = `symlink:${await readlink(path)}`;
      else if (stats.isDirectory()) await walk(path, relative);
      else if (stats.isFile()) files[relative] = `sha256:${createHash("sha256").update(await readFile(path)).digest("hex")}`;
    }
  };
  await walk(root, "");
  const fingerprint = createHash("sha256");
  for (const path of Object.keys(files).sort()) fingerprint.update(`${path}\0${files[path]}\n`);
  return { files, fingerprint: fingerprint.digest("hex") };
}

/** Added, modified and deleted paths between two digest maps. */
export function diffFiles(from: Readonly<Record<string, string>>, to: Readonly<Record<string, string>>): { added: string[]; modified: string[]; deleted: string[] } {
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [path, digest] of Object.entries(to)) {
    if (!(path in from)) added.push(path);
    else if (from[path] !== digest) modified.push(path);
  }
  for (const path of Object.keys(from)) if (!(path in to)) deleted.push(path);
  return { added: added.sort(), modified: modified.sort(), deleted: deleted.sort() };
}
