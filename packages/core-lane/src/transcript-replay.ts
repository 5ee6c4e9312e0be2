import { isOutcomeEvent, type BackendEvent, type ProviderProfile } from "@asm/contract";
import { createUnknownTypeWarnings } from "@asm/provider-utils";
import { synthesizeExitOutcome } from "./exit-classification.js";
import { callParser } from "./parser-failure.js";

/** How much of stderr the exit classification sees: the core lane's default `stderrTailBytes`. */
const STDERR_TAIL_BYTES = 8 * 1024;

/** A recorded CLI run: its stdout, its stderr and how it exited. */
export interface RecordedTranscript {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

/** What a recorded run turns into on the core lane. */
export interface TranscriptReplay {
  /** The events a live run emits, in order, ending with its one outcome. */
  events: BackendEvent[];
  /** Events the parser produced after the outcome: a live run drops them, so they are not in `events`. */
  droppedAfterOutcome: BackendEvent[];
  /** Lines the parser asked to write back to the CLI's stdin (control-protocol replies). */
  replies: string[];
  /** Non-blank stdout lines read. */
  lines: number;
  /** Whether the outcome came from the exit status because the CLI's output held none. */
  outcomeSynthesized: boolean;
}

/**
 * Turns a recorded transcript into the events a live run on the core lane emits from the same
 * output: each stdout line through the provider's parser (a `schema_drift` warning after the
 * first raw event of each unknown type, a parser that throws reported as a `parse_error`
 * warning), then stderr, then the exit; the first outcome ends the run and what follows it is
 * dropped; a run whose output held no outcome gets the one its exit status implies. The only
 * difference from a live run is timing: a live run sees stderr as it arrives, a transcript keeps
 * it apart, so here it comes after stdout.
 *
 * @example
 * ```ts
 * const { events } = replayTranscript(claudeProfile, { stdout, stderr: "", exitCode: 0, signal: null });
 * ```
 */
export function replayTranscript(profile: ProviderProfile, transcript: RecordedTranscript): TranscriptReplay {
  const replies: string[] = [];
  const parser = profile.createParser({ provider: profile.id, reply: (line) => void replies.push(line) });
  const drift = createUnknownTypeWarnings(profile.id);
  const events: BackendEvent[] = [];
  const droppedAfterOutcome: BackendEvent[] = [];
  let settled = false;
  const handle = (produced: readonly BackendEvent[]): void => {
    for (const event of produced) {
      if (settled) {
        droppedAfterOutcome.push(event);
        continue;
      }
      events.push(event);
      const warning = drift.after(event);
      if (warning !== undefined) events.push(warning);
      if (isOutcomeEvent(event)) settled = true;
    }
  };

  let lines = 0;
  for (const raw of transcript.stdout.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    lines += 1;
    handle(callParser(profile.id, () => parser.line(line), line));
  }
  if (transcript.stderr !== "" && !settled) handle(callParser(profile.id, () => parser.stderr(transcript.stderr)));

  let outcomeSynthesized = false;
  if (!settled) {
    const stderrTail = tailOf(transcript.stderr);
    handle(callParser(profile.id, () => parser.exit({ exitCode: transcript.exitCode, signal: transcript.signal, stderrTail, outcomeSeen: false })));
    if (!settled) {
      outcomeSynthesized = true;
      handle([
        synthesizeExitOutcome({
          profileId: profile.id,
          commandNames: profile.cli.binaryNames,
          exitCode: transcript.exitCode,
          signal: transcript.signal,
          stderrTail,
          interrupted: false,
        }),
      ]);
    }
  }
  return { events, droppedAfterOutcome, replies, lines, outcomeSynthesized };
}

function tailOf(stderr: string): string {
  const bytes = Buffer.from(stderr, "utf8");
  return bytes.length > STDERR_TAIL_BYTES ? bytes.subarray(bytes.length - STDERR_TAIL_BYTES).toString("utf8") : stderr;
}
