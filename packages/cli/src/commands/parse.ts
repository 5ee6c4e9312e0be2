import { AsmError, isOutcomeEvent, type BackendEvent, type ProviderProfile } from "@asm/contract";
import { createUnknownTypeWarnings } from "@asm/provider-utils";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider } from "../providers.js";
import { PARSE_USAGE } from "../usage.js";
import { readTextFile } from "./run.js";

/** How much of stderr the exit classification sees, as the core lane keeps it. */
const STDERR_TAIL_BYTES = 8 * 1024;

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
  events: BackendEvent[];
  /** Lines the parser asked to write back to the CLI's stdin (control-protocol replies). */
  replies: string[];
  /** Number of stdout lines read. */
  lines: number;
}

/**
 * Feeds a recorded transcript through a provider's parser exactly as the core lane would: each
 * stdout line, then stderr, then the exit (with the stderr tail and whether an outcome was seen).
 */
export function normalizeTranscript(profile: ProviderProfile, stdout: string, stderr: string, exit: RecordedExit): TranscriptEvents {
  const replies: string[] = [];
  const parser = profile.createParser({ provider: profile.id, reply: (line) => void replies.push(line) });
  const events: BackendEvent[] = [];
  // As the core lane does: the first raw event of each unknown type gets a schema_drift warning.
  const drift = createUnknownTypeWarnings(profile.id);
  let lines = 0;
  for (const raw of stdout.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    lines += 1;
    for (const event of parser.line(line)) {
      events.push(event);
      const warning = drift.after(event);
      if (warning !== undefined) events.push(warning);
    }
  }
  if (stderr !== "") events.push(...parser.stderr(stderr));
  const tail = Buffer.from(stderr, "utf8");
  const stderrTail = tail.length > STDERR_TAIL_BYTES ? tail.subarray(tail.length - STDERR_TAIL_BYTES).toString("utf8") : stderr;
  events.push(...parser.exit({ exitCode: exit.exitCode, signal: exit.signal, stderrTail, outcomeSeen: events.some(isOutcomeEvent) }));
  return { events, replies, lines };
}

/**
 * `asm parse --provider <p> <stdout-file> [--stderr <file>] [--exit <code>]`: prints the ASM
 * events a recorded transcript normalizes to, one JSON object per line (`kind`, `payload`, and
 * `providerSessionId` when the event carries one; `raw` too with `--raw`), and a summary on
 * stderr. Exits 0 when the transcript yields an outcome (`result` or a terminal `error`), 1 when
 * it yields none — the sign that a CLI update changed its output.
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

  const { events, replies, lines } = normalizeTranscript(provider.profile, stdout, stderr, exit);
  const withRaw = booleanFlag(values, "raw");
  for (const event of events) {
    const line: Record<string, unknown> = { kind: event.kind, payload: event.payload };
    if (event.providerSessionId !== undefined) line.providerSessionId = event.providerSessionId;
    if (withRaw && event.raw !== undefined) line.raw = event.raw;
    await print(io.stdout, `${JSON.stringify(line)}\n`);
  }

  const outcomes = events.filter(isOutcomeEvent);
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => `${kind}×${count}`).join(", ");
  const described = outcomes.map((event) => (event.kind === "error" ? `error ${(event.payload as { code: string }).code}` : "result")).join(", ");
  await print(
    io.stderr,
    `asm parse: ${lines} lines → ${events.length} events (${kinds || "none"}); outcome: ${described || "NONE"}` +
      (replies.length > 0 ? `; ${replies.length} control replies` : "") +
      "\n",
  );
  return outcomes.length > 0 ? 0 : 1;
}
