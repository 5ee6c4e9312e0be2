import { AsmError } from "@asm/contract";
import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";

/**
 * Where a path a rollback is about to delete really is, refused unless it is safe: relative, no
 * `..` or empty segment, nothing inside `.git`, and its parent directory (symlinks resolved)
 * still under `root`, so a symlinked directory cannot point the deletion outside.
 */
export async function safeTarget(root: string, path: string): Promise<string> {
  const refuse = (why: string) => new AsmError("runtime", `refusing to delete ${JSON.stringify(path)}: ${why}`, { details: { path } });
  if (path === "" || isAbsolute(path) || path.includes("\0")) throw refuse("not a relative path");
  const segments = path.split("/");
  if (segments.some((segment) => segment === ".." || segment === "." || segment === "")) throw refuse("it leaves the root");
  if (segments.some((segment) => segment.toLowerCase() === ".git")) throw refuse("it is inside .git");
  const target = join(root, ...segments);
  const parent = await realpath(dirname(target)).catch(() => null);
  if (parent === null) throw refuse("its directory is gone");
  const inside = relative(root, parent);
  if (inside.startsWith("..") || isAbsolute(inside) || inside.split(sep).includes("..")) throw refuse("its directory resolves outside the root");
  return join(parent, segments[segments.length - 1] as string);
}
