import { AsmError, createEvent, type AsmEvent } from "@asm/contract";
import { readDurableRun } from "@asm/remote";
import { compactRenderer, renderStream, ttySink, verboseRenderer } from "@asm/rendering";
import { parseDuration } from "../args/duration.js";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider } from "../providers.js";
import { eventsOf } from "./events-of.js";
import { normalizeTranscript } from "./parse.js";
import { natsOptions } from "./remote-flags.js";

const FLAGS = {
  nats: { type: "string" },
  creds: { type: "string" },
  run: { type: "string" },
  provider: { type: "string" },
  node: { type: "string" },
  wait: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  "no-color": { type: "boolean" },
} as const;

/**
 * `asm history --nats <url> --run <id> --provider <p>`: a durable remote run read back from its
 * node's JetStream log and turned into the events the run emitted (the same replay as
 * `asm parse`), rendered as `asm run` renders them, or as JSONL with `--json`. `--wait <duration>`
 * waits for a run still going to end; without it a run in progress shows what it has done so far.
 */
export async function remoteHistoryCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, "history");
  if (positionals.length > 0) throw usageError(`asm history takes no arguments (got "${positionals.join(" ")}")`);
  const runId = stringFlag(values, "run");
  if (runId === undefined) throw usageError("asm history --nats needs --run <id>: the run to read from the durable log", { flag: "--run" });
  const providerName = stringFlag(values, "provider");
  if (providerName === undefined) throw usageError("asm history --nats needs --provider: the log holds the CLI's output, the provider reads it", { flag: "--provider" });
  const provider = findProvider(providerName);
  if (provider.profile === undefined) throw new AsmError("unsupported", `provider ${provider.name} has no CLI profile to read a run with`, { details: { key: "provider" } });
  const waitText = stringFlag(values, "wait");
  const node = stringFlag(values, "node");

  const record = await readDurableRun({
    nats: natsOptions(stringFlag(values, "nats"), stringFlag(values, "creds"), io.env),
    runId,
    ...(node === undefined ? {} : { node }),
    ...(waitText === undefined ? {} : { waitMs: parseDuration(waitText, "--wait") }),
  });
  const replayed = normalizeTranscript(provider.profile, record.stdout, record.stderr, { exitCode: record.exitCode, signal: record.signal });
  // A run still going has no outcome yet: show what it did so far, not one made up from a missing exit.
  const backendEvents = record.ended === "in_progress" && replayed.outcomeSynthesized ? replayed.events.slice(0, -1) : replayed.events;
  const events = backendEvents.map(
    (event, sequence) =>
      createEvent({
      kind: event.kind,
      payload: event.payload,
      runId,
      sessionId: runId,
      provider: provider.name,
      sequence,
      providerSessionId: event.providerSessionId ?? null,
      metadata: { ...event.metadata, node: record.node, source: "durable_log" },
    }) as AsmEvent,
  );

  if (booleanFlag(values, "json")) {
    for (const event of events) await print(io.stdout, `${JSON.stringify(event)}\n`);
  } else {
    const color = !booleanFlag(values, "no-color") && (io.env.NO_COLOR ?? "") === "" && io.stdout.isTTY === true;
    const renderer = booleanFlag(values, "verbose")
      ? verboseRenderer({ color })
      : compactRenderer({ color, messageChars: Number.POSITIVE_INFINITY, omit: ["raw", "stderr", "cost_update"], footer: false });
    await renderStream(eventsOf(events), { renderer, sinks: [ttySink({ stream: io.stdout, stripAnsi: !color })] });
  }
  const how =
    record.ended === "exit"
      ? `ended (${record.signal === null ? `exit ${String(record.exitCode)}` : record.signal})`
      : record.ended === "node_down"
        ? `lost: node went down (${record.nodeDownReason ?? "no reason"})`
        : "still in progress";
  await print(io.stderr, `asm history: run ${runId} on node ${record.node}, ${how}; ${record.entries} log entries → ${events.length} events\n`);
  return EXIT_CODES.success;
}
