import type { BackendEvent } from "@asm/contract";
import { createClaudeParser } from "../parser.js";
import { exitInfoOf, loadTranscript, type Transcript } from "./load-transcript.js";

/** The result of replaying a transcript through a fresh parser. */
export interface Replay {
  transcript: Transcript;
  events: BackendEvent[];
  /** Lines the parser wrote back to the CLI through `context.reply`. */
  replies: string[];
}

/** Feeds every stdout line, then stderr, then the exit, to a fresh parser. */
export function replay(dir: "transcripts" | "recorded", name: string): Replay {
  const transcript = loadTranscript(dir, name);
  const replies: string[] = [];
  const parser = createClaudeParser({ provider: "claude", reply: (line) => replies.push(line) });
  const events: BackendEvent[] = [];
  for (const line of transcript.lines) events.push(...parser.line(line));
  events.push(...parser.stderr(transcript.stderr));
  events.push(...parser.exit(exitInfoOf(transcript)));
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
  return events.filter((event) => event.kind === kind) as never;
}
