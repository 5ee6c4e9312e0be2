import { existsSync } from "node:fs";
import { AsmError, type AsmEvent } from "@asm/contract";
import { finalResult, sessionIndex, summarizeSession, type RunSummary } from "@asm/core";
import { openStore, defaultStoreUrl, type DurableStore } from "@asm/persistence";
import { compactRenderer, eventToJsonLine, formatCost, renderStream, ttySink, verboseRenderer } from "@asm/rendering";
import { booleanFlag, parseFlags } from "../args/parse-flags.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { displayStoreUrl, takeStoreFlags } from "../options/store-flags.js";
import { eventsOf } from "./events-of.js";
import { remoteHistoryCommand } from "./history-remote.js";
import { summaryLine } from "./execute-run.js";

/** `asm history --help`. */
export const HISTORY_USAGE = `usage: asm history [--store <url>] [--session <id>] [--run <id>] [--json] [--verbose] [--no-color]

What a store holds, read back:
  asm history                         every stored session: provider, status, runs, events, cost
  asm history --session <id>          that session's runs: status, events, cost, provider session
  asm history --run <id>              that run's events, rendered as asm run rendered them
                                      (--session narrows the search; --verbose shows every field)
With --json: sessions and runs as one JSON object per line; with --session or --run, every stored
event of that session (or run) as JSONL, the lines and ids asm run --json printed.

A durable remote run (asm run --remote … --durable), read back from its node's JetStream log:
  asm history --nats <url> --run <id> --provider <p> [--node <name>] [--wait <duration>] [--creds <file>]
                                      the run's events, replayed from the CLI's logged output
                                      (--wait waits for a run still going to end)

  --store <url>   sqlite:<file>, file:<dir> or postgres://… (default: ASM_STORE, else
                  sqlite:$XDG_STATE_HOME/asm/asm.db)
`;

const FLAGS = { json: { type: "boolean" }, verbose: { type: "boolean" }, "no-color": { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;

/**
 * `asm history`: the sessions of a store, one session's runs, or one run's events replayed
 * through the renderer (JSONL with `--json`). Unknown session or run → `not_found` (exit 9).
 */
export async function historyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.some((arg) => arg === "--nats" || arg.startsWith("--nats=")) && !argv.includes("--help") && !argv.includes("-h")) return remoteHistoryCommand(argv, io);
  const flags = takeStoreFlags(argv, io.env, true);
  const { values, positionals } = parseFlags(flags.argv, FLAGS, "history");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, HISTORY_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm history takes no arguments (got "${positionals.join(" ")}"); --session and --run take the ids`);
  const json = booleanFlag(values, "json");
  const output = { json, verbose: booleanFlag(values, "verbose"), color: !booleanFlag(values, "no-color") && (io.env.NO_COLOR ?? "") === "" && io.stdout.isTTY === true };
  const url = flags.url ?? defaultStoreUrl(io.env);
  const shown = displayStoreUrl(url);
  // Reading never creates a database that is not there.
  const sqlitePath = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : null;
  if (sqlitePath !== null && !existsSync(sqlitePath)) {
    if (flags.sessionId !== null || flags.runId !== null) throw new AsmError("not_found", `no store at ${shown}`, { details: { store: shown } });
    if (!json) await print(io.stdout, `no sessions stored in ${shown}\n`);
    return EXIT_CODES.success;
  }
  const store = await openStore(url, { readOnly: true });
  try {
    if (flags.runId !== null) return await showRun(store, shown, flags.sessionId, flags.runId, io, output);
    if (flags.sessionId !== null) return await showSession(store, shown, flags.sessionId, io, json);
    return await listSessions(store, shown, io, json);
  } finally {
    await store.close();
  }
}

async function listSessions(store: DurableStore, shown: string, io: CliIo, json: boolean): Promise<number> {
  const sessions = await sessionIndex(store);
  if (json) {
    for (const session of sessions) await print(io.stdout, `${JSON.stringify(session)}\n`);
    return EXIT_CODES.success;
  }
  if (sessions.length === 0) {
    await print(io.stdout, `no sessions stored in ${shown}\n`);
    return EXIT_CODES.success;
  }
  const rows = sessions.map((session) => [session.sessionId, session.provider, session.status, String(session.runs.length), String(session.events), formatCost(session.cost.costUsd ?? null), session.updatedAt]);
  await print(io.stdout, table(["SESSION", "PROVIDER", "STATUS", "RUNS", "EVENTS", "COST", "UPDATED"], rows));
  await print(io.stdout, `${sessions.length} session(s) in ${shown} · asm history --session <id> lists a session's runs\n`);
  return EXIT_CODES.success;
}

async function showSession(store: DurableStore, shown: string, sessionId: string, io: CliIo, json: boolean): Promise<number> {
  const events = await store.list(sessionId);
  const summary = summarizeSession(events);
  if (summary === null) throw new AsmError("not_found", `no session ${sessionId} in ${shown} (asm history lists the stored sessions)`, { details: { sessionId } });
  if (json) {
    for (const event of events) await print(io.stdout, `${eventToJsonLine(event)}\n`);
    return EXIT_CODES.success;
  }
  await print(io.stdout, `session ${summary.sessionId} · ${summary.provider} · ${summary.status} · ${summary.events} events · cost ${formatCost(summary.cost.costUsd ?? null)}${summary.providerSessionId ? ` · provider session ${summary.providerSessionId}` : ""}\n`);
  await print(io.stdout, table(["RUN", "STATUS", "STARTED", "EVENTS", "COST", "ERROR"], summary.runs.map(runRow)));
  await print(io.stdout, `asm history --session ${sessionId} --run <id> replays a run · asm run --session ${sessionId} --store ${shown} "<prompt>" continues the session\n`);
  return EXIT_CODES.success;
}

function runRow(run: RunSummary): string[] {
  return [run.runId, run.status, run.startedAt, String(run.events), formatCost(run.costUsd), run.errorCode ?? ""];
}

async function showRun(store: DurableStore, shown: string, sessionId: string | null, runId: string, io: CliIo, output: { json: boolean; verbose: boolean; color: boolean }): Promise<number> {
  const events = await findRun(store, sessionId, runId);
  if (events.length === 0) {
    throw new AsmError("not_found", `no run ${runId} ${sessionId === null ? "" : `in session ${sessionId} `}in ${shown}`, { details: { runId, ...(sessionId === null ? {} : { sessionId }) } });
  }
  if (output.json) {
    for (const event of events) await print(io.stdout, `${eventToJsonLine(event)}\n`);
    return EXIT_CODES.success;
  }
  const renderer = output.verbose
    ? verboseRenderer({ color: output.color })
    : compactRenderer({ color: output.color, messageChars: Number.POSITIVE_INFINITY, omit: ["raw", "stderr", "cost_update"], footer: false });
  await renderStream(eventsOf(events), { renderer, sinks: [ttySink({ stream: io.stdout, stripAnsi: !output.color })] });
  let result = null;
  try {
    result = finalResult(events);
  } catch {
    result = null;
  }
  const status = result?.status === "completed" ? EXIT_CODES.success : EXIT_CODES.failure;
  // The line asm run ended with, from the stored events.
  await print(io.stdout, summaryLine(result, null, status, output.color));
  return EXIT_CODES.success;
}

async function findRun(store: DurableStore, sessionId: string | null, runId: string): Promise<AsmEvent[]> {
  const sessions: string[] = sessionId !== null ? [sessionId] : ((await store.sessionIds?.()) ?? []);
  for (const id of sessions) {
    const events = (await store.list(id)).filter((event) => event.runId === runId);
    if (events.length > 0) return events;
  }
  return [];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => `${cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}\n`;
  return [header, ...rows].map(line).join("");
}
