import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Package folders of a workspace, from pnpm-workspace.yaml or package.json "workspaces":
// literal folders and `dir/*` patterns (what monorepos use in practice).
function workspacePackageDirs(root: string): string[] {
  const patterns: string[] = [];
  const pnpm = join(root, "pnpm-workspace.yaml");
  if (existsSync(pnpm)) {
    let inPackages = false;
    for (const line of readFileSync(pnpm, "utf8").split("\n")) {
      if (/^packages:\s*$/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const match = /^\s*-\s*["']?([^"'#\s]+)["']?/.exec(line);
        if (match) patterns.push(match[1]!);
      }
    }
  }
  try {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces?: unknown };
    const list = Array.isArray(manifest.workspaces) ? manifest.workspaces : (manifest.workspaces as { packages?: unknown } | undefined)?.packages;
    if (Array.isArray(list)) patterns.push(...list.filter((item): item is string => typeof item === "string"));
  } catch {
    // No package.json, or not JSON: no npm workspaces.
  }
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) continue;
    const parts = pattern.replace(/\/\*\*$/, "/*").split("/");
    let current = [root];
    for (const part of parts) {
      const next: string[] = [];
      for (const dir of current) {
        if (part === "*") {
          try {
            for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && entry.name !== "node_modules") next.push(join(dir, entry.name));
          } catch {
            // A pattern naming a folder that is not there.
          }
        } else next.push(join(dir, part));
      }
      current = next;
    }
    dirs.push(...current);
  }
  return dirs;
}

/**
 * The `node_modules/.bin` folders where a project pins its CLIs: the one beside `cwd` and each
 * one above it, and at the workspace root (a folder with pnpm-workspace.yaml or package.json
 * workspaces) those of every workspace package. Only folders that exist, each once.
 */
export function workspaceBinDirs(cwd: string): string[] {
  const found: string[] = [];
  const add = (dir: string) => {
    const bin = join(dir, "node_modules", ".bin");
    if (!found.includes(bin) && existsSync(bin)) found.push(bin);
  };
  let dir = cwd;
  for (;;) {
    add(dir);
    const isRoot = existsSync(join(dir, "pnpm-workspace.yaml")) || workspacePackageDirs(dir).length > 0;
    if (isRoot) {
      for (const pkg of workspacePackageDirs(dir)) add(pkg);
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}
