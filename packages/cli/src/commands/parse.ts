import { AsmError, createEvent, isOutcomeEvent, rawValueOf, type BackendEvent, type ProviderProfile } from "@asm/contract";
import { replayTranscript } from "@asm/core-lane";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider } from "../providers.js";
import { PARSE_USAGE } from "../usage.js";
import { readTextFile } from "./run.js";

/** A recorded CLI exit: a code, or the signal that killed it. */
export interface RecordedExit {
  exitCode: number | null;
  signal: string | null;
}

/**
 * Reads an exit status as recorded next to transcripts: `0`, `1`, `145`, or `signal SIGTERM`
 * (`SIGTERM` alone works too). Anything else is a usage error.
 */
export function parseRecordedExit(text: string): RecordedExit {
  const value = text.trim();
  if (/^\d+$/.test(value)) return { exitCode: Number(value), signal: null };
  const signal = /^(?:signal\s+)?(SIG[A-Z0-9]+)$/.exec(value);
  if (signal) return { exitCode: null, signal: signal[1]! };
  throw usageError(`--exit must be an exit code or "signal SIGNAME" (got "${text}")`, { flag: "--exit" });
}

/** What one transcript normalizes to. */
export interface TranscriptEvents {
  /** The events a live run emits from the same output, payload defaults applied, ending with its outcome. */
  events: BackendEvent[];
  /** Lines the parser asked to write back to the CLI's stdin (control-protocol replies). */
  replies: string[];
  /** Number of stdout lines read. */
  lines: number;
  /** Events after the outcome, which a live run drops (a later turn of a multi-turn transcript). */
  droppedAfterOutcome: number;
  /** Whether the output held no outcome, so the one in `events` comes from the exit status. */
  outcomeSynthesized: boolean;
}

/**
 * Normalizes a recorded transcript exactly as a live run would: the core lane's replay (stdout
 * lines, stderr, the exit; stop at the first outcome; an outcome from the exit status when the
 * output held none), then the kernel's payload validation, which applies each kind's defaults.
 */
export function normalizeTranscript(profile: ProviderProfile, stdout: string, stderr: string, exit: RecordedExit): TranscriptEvents {
  const replay = replayTranscript(profile, { stdout, stderr, exitCode: exit.exitCode, signal: exit.signal });
  const events = replay.events.map((event) => withValidPayload(profile.id, event));
  return { events, replies: replay.replies, lines: replay.lines, droppedAfterOutcome: replay.droppedAfterOutcome.length, outcomeSynthesized: replay.outcomeSynthesized };
}

// The kernel puts every backend event in an envelope through the kind's schema (`createEvent`):
// the same step here gives the same payloads (defaults such as `role` and `status` filled in).
function withValidPayload(provider: string, event: BackendEvent): BackendEvent {
  const { payload } = createEvent({ kind: event.kind, payload: event.payload, runId: "parse", sessionId: "parse", provider });
  return { ...event, payload } as BackendEvent;
}

/**
 * `asm parse --provider <p> <stdout-file> [--stderr <file>] [--exit <code>]`: prints the ASM
 * events a recorded transcript normalizes to, one JSON object per line (`kind`, `payload`, and
 * `providerSessionId` when the event carries one; `raw` too with `--raw`), and a summary on
 * stderr. The events are the ones a live run emits from the same output: they end at the first
 * outcome (later turns of a multi-turn transcript are counted, not printed), and a transcript
 * without an outcome gets the one its exit status implies. Exits 0 when the output holds an
 * outcome (`result` or a terminal `error`), 1 when it holds none — the sign that a CLI update
 * changed its output.
 */
export async function parseCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      provider: { type: "string" },
      stderr: { type: "string" },
      exit: { type: "string" },
      raw: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "parse",
  );
  if (booleanFlag(values, "help")) {
    await print(io.stdout, PARSE_USAGE);
    return 0;
  }
  const providerName = stringFlag(values, "provider");
  if (providerName === undefined) throw usageError("asm parse needs --provider (claude, codex, gemini or amp)");
  if (positionals.length !== 1) throw usageError("asm parse needs exactly one stdout transcript file");
  const provider = findProvider(providerName);
  if (provider.profile === undefined) throw new AsmError("unsupported", `provider ${provider.name} has no CLI profile to parse with`);

  const exitText = stringFlag(values, "exit");
  const exit = exitText === undefined ? { exitCode: 0, signal: null } : parseRecordedExit(exitText);
  const stdout = await readTextFile(positionals[0]!, "transcript");
  const stderrPath = stringFlag(values, "stderr");
  const stderr = stderrPath === undefined ? "" : await readTextFile(stderrPath, "stderr file");

  const { events, replies, lines, droppedAfterOutcome, outcomeSynthesized } = normalizeTranscript(provider.profile, stdout, stderr, exit);
  const withRaw = booleanFlag(values, "raw");
  for (const event of events) {
    const line: Record<string, unknown> = { kind: event.kind, payload: event.payload };
    if (event.providerSessionId !== undefined) line.providerSessionId = event.providerSessionId;
    if (withRaw && event.raw !== undefined) line.raw = rawValueOf(event.raw);
    await print(io.stdout, `${JSON.stringify(line)}\n`);
  }

  const outcomes = events.filter(isOutcomeEvent);
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => `${kind}×${count}`).join(", ");
  const described = outcomes.map((event) => (event.kind === "error" ? `error ${(event.payload as { code: string }).code}` : "result")).join(", ");
  await print(
    io.stderr,
    `asm parse: ${lines} lines → ${events.length} events (${kinds || "none"}); outcome: ${outcomeSynthesized ? `NONE in the output (from the exit status: ${described})` : described}` +
      (droppedAfterOutcome > 0 ? `; ${droppedAfterOutcome} events after the outcome dropped, as a live run drops them` : "") +
      (replies.length > 0 ? `; ${replies.length} control replies` : "") +
      "\n",
  );
  return outcomeSynthesized ? 1 : 0;
}
