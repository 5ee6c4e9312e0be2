import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { contentText, jsonLines, promptLabel, readHead, type ProviderSessionEntry } from "./entry.js";
import type { SessionStoreQuery } from "./query.js";

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Gemini CLI's chats: `<GEMINI_CLI_HOME or ~>/.gemini/tmp/<project>/chats/session-*.jsonl`, one
 * folder per project (its `.project_root` names the working directory); the first line holds the
 * `sessionId`, then the messages (older releases wrote one `session-*.json` document).
 */
export function geminiSessions(query: SessionStoreQuery): ProviderSessionEntry[] {
  const root = join(query.env.GEMINI_CLI_HOME ?? query.home, ".gemini", "tmp");
  let projects: string[];
  try {
    projects = readdirSync(root);
  } catch {
    return [];
  }
  const entries: ProviderSessionEntry[] = [];
  for (const project of projects) {
    const cwd = readText(join(root, project, ".project_root"))?.trim() ?? null;
    if (query.cwd !== undefined && cwd !== query.cwd) continue;
    let files: string[];
    try {
      files = readdirSync(join(root, project, "chats")).filter((name) => name.startsWith("session-") && (name.endsWith(".jsonl") || name.endsWith(".json")));
    } catch {
      continue;
    }
    for (const name of files) {
      const path = join(root, project, "chats", name);
      const head = readHead(path);
      const lines = name.endsWith(".jsonl") ? jsonLines(head) : jsonLines(head.replace(/\n/g, " "));
      const id = lines.map((line) => line["sessionId"]).find((value): value is string => typeof value === "string");
      if (id === undefined) continue;
      // Messages come as lines of their own, inside `$set` updates, or in the one document.
      const messages = lines.flatMap((line) => {
        const set = line["$set"] as { messages?: unknown } | undefined;
        const list = Array.isArray(line["messages"]) ? line["messages"] : Array.isArray(set?.messages) ? set.messages : [line];
        return list as Array<Record<string, unknown>>;
      });
      const label = messages
        .filter((message) => message["type"] === "user")
        .map((message) => promptLabel(contentText(message["content"])))
        .find((text): text is string => text !== null);
      entries.push({ provider: "gemini", id, label: label ?? "", cwd, updatedAt: statSync(path).mtime.toISOString(), source: "gemini-chats", path });
    }
  }
  return entries;
}
