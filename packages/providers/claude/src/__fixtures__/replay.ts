import type { BackendEvent } from "@asm/contract";
import { feedTranscript, loadTranscript, transcriptNames, type Transcript } from "@asm/testkit";
import { createClaudeParser } from "../internal/parser.js";

/** The two transcript folders: copied from the shared captures, and recorded for this package. */
export type TranscriptFolder = "transcripts" | "recorded";

const folder = (dir: TranscriptFolder): URL => new URL(`./${dir}/`, import.meta.url);

/** Loads `<dir>/<name>` from this folder. */
export function claudeTranscript(dir: TranscriptFolder, name: string): Transcript {
  return loadTranscript(folder(dir), name);
}

/** Names of every transcript in one of the folders. */
export function claudeTranscriptNames(dir: TranscriptFolder): string[] {
  return transcriptNames(folder(dir));
}

/** The result of replaying a transcript through a fresh parser. */
export interface Replay {
  transcript: Transcript;
  events: BackendEvent[];
  /** Lines the parser wrote back to the CLI through `context.reply`. */
  replies: string[];
}

/** Feeds every stdout line, then stderr, then the exit, to a fresh parser. */
export function replay(dir: TranscriptFolder, name: string): Replay {
  const transcript = claudeTranscript(dir, name);
  const replies: string[] = [];
  const events = feedTranscript(createClaudeParser({ provider: "claude", reply: (line) => replies.push(line) }), transcript);
  return { transcript, events, replies };
}

/** Kinds in order; errors and warnings carry their code (`error:auth_error`, `warning:api_retry`). */
export function kindsOf(events: readonly BackendEvent[]): string {
  return events
    .map((event) =>
      event.kind === "error" || event.kind === "warning" ? `${event.kind}:${(event.payload as { code: string }).code}` : event.kind,
    )
    .join(" ");
}

/** The events of one kind, with their payloads typed loosely for assertions. */
export function ofKind(events: readonly BackendEvent[], kind: BackendEvent["kind"]): Array<{ payload: Record<string, unknown>; providerSessionId?: string }> {
  return events.filter((event) => event.kind === kind);
}
