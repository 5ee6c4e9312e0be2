import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { contentText, jsonLines, promptLabel, readHead, type ProviderSessionEntry } from "./entry.js";
import type { SessionStoreQuery } from "./query.js";

/** Claude Code names a project folder after its working directory, every other character a `-`. */
function projectFolder(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, "-");
}

/**
 * Claude Code's transcripts: `<config dir>/projects/<project>/<session id>.jsonl` (the config dir is
 * `CLAUDE_CONFIG_DIR`, else `~/.claude`), one JSON object per line with `sessionId`, `cwd` and the
 * messages.
 */
export function claudeSessions(query: SessionStoreQuery): ProviderSessionEntry[] {
  const root = join(query.env.CLAUDE_CONFIG_DIR ?? join(query.home, ".claude"), "projects");
  let projects: string[];
  try {
    projects = query.cwd === undefined ? readdirSync(root) : [projectFolder(query.cwd)];
  } catch {
    return [];
  }
  const entries: ProviderSessionEntry[] = [];
  for (const project of projects) {
    let files: string[];
    try {
      files = readdirSync(join(root, project)).filter((name) => name.endsWith(".jsonl"));
    } catch {
      continue;
    }
    for (const name of files) {
      const path = join(root, project, name);
      const lines = jsonLines(readHead(path));
      const id = lines.map((line) => line["sessionId"]).find((value): value is string => typeof value === "string") ?? name.slice(0, -".jsonl".length);
      const cwd = lines.map((line) => line["cwd"]).find((value): value is string => typeof value === "string") ?? null;
      if (query.cwd !== undefined && cwd !== null && cwd !== query.cwd) continue;
      const summary = lines.find((line) => line["type"] === "summary" && typeof line["summary"] === "string")?.["summary"] as string | undefined;
      const firstPrompt = lines
        .filter((line) => line["type"] === "user")
        .map((line) => promptLabel(contentText((line["message"] as { content?: unknown } | undefined)?.content)))
        .find((label): label is string => label !== null);
      entries.push({ provider: "claude", id, label: promptLabel(summary ?? "") ?? firstPrompt ?? "", cwd, updatedAt: statSync(path).mtime.toISOString(), source: "claude-projects", path });
    }
  }
  return entries;
}
