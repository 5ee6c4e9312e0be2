import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// What the live tests need: the real claude binary, and a loopback-only namespace to run it in.
/** The pinned claude binary (a dev dependency), or null when it is not installed. */
export function claudeBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve("@anthropic-ai/claude-code/package.json")), "bin", "claude.exe");
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

/** The `unshare` arguments for a loopback-only network namespace, or null when none can be made. */
export function isolation(): string[] | null {
  if (process.platform !== "linux") return null;
  const args = process.getuid?.() === 0 ? ["-n"] : ["-r", "-n"];
  const probe = spawnSync("unshare", [...args, "--", "sh", "-c", "ip link set lo up", "sh"], { encoding: "utf8" });
  return probe.status === 0 ? args : null;
}

