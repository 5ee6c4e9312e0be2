import { closeSync, openSync, readSync } from "node:fs";

/** One resumable conversation of a provider's CLI, as {@link listProviderSessions} reports it. */
export interface ProviderSessionEntry {
  provider: string;
  /** The id to resume with (`continuation: { strategy: "exact", providerSessionId }`). */
  id: string;
  /** The conversation's first prompt, on one line and shortened (empty when none was found). */
  label: string;
  /** The working directory the conversation ran in, when the store records it. */
  cwd: string | null;
  /** ISO time of the last change. */
  updatedAt: string;
  /** Which store it came from (`claude-projects`, `codex-sessions`, `gemini-chats`). */
  source: string;
  /** The file holding it. */
  path: string;
}

/** How much of a session file is read: its head holds the metadata and the first prompt. */
const HEAD_BYTES = 256 * 1024;
const LABEL_CHARS = 80;

/** The first {@link HEAD_BYTES} of a file as text ("" when unreadable), cut at the last whole line. */
export function readHead(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const text = buffer.subarray(0, read).toString("utf8");
    return read < HEAD_BYTES ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Each line that parses as a JSON object. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch {
      // A torn last line or a foreign line: skipped.
    }
  }
  return out;
}

/** The text of a message's content: a string, or the `text` of its parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : ""))
    .join(" ");
}

/** A prompt as a one-line label; a CLI's own context block (`<session_context>`, `<environment_context>`) is no prompt. */
export function promptLabel(text: string): string | null {
  const line = text.replace(/\s+/g, " ").trim();
  if (line === "" || line.startsWith("<")) return null;
  return line.length > LABEL_CHARS ? `${line.slice(0, LABEL_CHARS - 1)}…` : line;
}
