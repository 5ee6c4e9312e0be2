import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { contentText, jsonLines, promptLabel, readHead, type ProviderSessionEntry } from "./entry.js";
import type { SessionStoreQuery } from "./query.js";

function folders(path: string): string[] {
  try {
    return readdirSync(path).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
}

/**
 * Codex's rollouts: `<CODEX_HOME or ~/.codex>/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`,
 * whose first line is the `session_meta` (thread id, cwd) and whose `response_item` user messages
 * hold the prompts.
 */
export function codexSessions(query: SessionStoreQuery): ProviderSessionEntry[] {
  const root = join(query.env.CODEX_HOME ?? join(query.home, ".codex"), "sessions");
  const entries: ProviderSessionEntry[] = [];
  for (const year of folders(root)) {
    for (const month of folders(join(root, year))) {
      for (const day of folders(join(root, year, month))) {
        const dir = join(root, year, month, day);
        let files: string[];
        try {
          files = readdirSync(dir).filter((name) => name.startsWith("rollout-") && name.endsWith(".jsonl"));
        } catch {
          continue;
        }
        for (const name of files) {
          const path = join(dir, name);
          const lines = jsonLines(readHead(path));
          const meta = lines.find((line) => line["type"] === "session_meta")?.["payload"] as { id?: unknown; cwd?: unknown } | undefined;
          if (meta === undefined || typeof meta.id !== "string") continue;
          const cwd = typeof meta.cwd === "string" ? meta.cwd : null;
          if (query.cwd !== undefined && cwd !== query.cwd) continue;
          const label = lines
            .filter((line) => line["type"] === "response_item")
            .map((line) => line["payload"] as { type?: unknown; role?: unknown; content?: unknown } | undefined)
            .filter((payload) => payload?.type === "message" && payload.role === "user")
            .map((payload) => promptLabel(contentText(payload?.content)))
            .find((text): text is string => text !== null);
          entries.push({ provider: "codex", id: meta.id, label: label ?? "", cwd, updatedAt: statSync(path).mtime.toISOString(), source: "codex-sessions", path });
        }
      }
    }
  }
  return entries;
}
