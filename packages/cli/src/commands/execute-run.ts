import { AsmError, type AsmEvent, type Result } from "@asm/contract";
import { finalResult, type Asm } from "@asm/core";
import { callbackSink, compactRenderer, formatCost, jsonlSink, painter, renderStream, ttySink, verboseRenderer, type Renderer, type Sink } from "@asm/rendering";
import { formatDuration } from "../args/duration.js";
import { flagHints } from "../args/flag-hints.js";
import type { OutputOptions, RunLimits } from "../args/run-args.js";
import { EXIT_CODES, exitCodeFor } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import type { StdinDecisions } from "../approvals/stdin-decisions.js";
import { approvalSink } from "../tty/approval-prompt.js";
import { emptyRunStats, updateRunStats, type RunStats } from "../tty/run-stats.js";
import { StatusLineSink } from "../tty/status-line.js";

/** What {@link executeRun} needs. */
export interface ExecuteRunInput {
  asm: Asm;
  /** The run's events (a `RunStream`: its id lets Ctrl-C interrupt it). */
  stream: AsyncIterable<AsmEvent> & { runId: string };
  io: CliIo;
  output: OutputOptions;
  /** Shown on the status line (`claude`). */
  label: string;
  /** `--allow-tool` names: approvals for these tools are allowed without asking. */
  allowTools?: readonly string[];
  /** Approval decisions a program writes on stdin (`--json` without a terminal). */
  decisions?: StdinDecisions | null;
  /** Where the run is stopped (`--max-turns`, `--max-budget-usd`); absent means no limit. */
  limits?: RunLimits;
}


/** How a run went, for the caller's own summary. */
export interface ExecuteRunOutcome {
  exitCode: number;
  result: Result | null;
  events: AsmEvent[];
  /** An error that stopped the run before or outside its events (bad options, a broken terminal). */
  error: AsmError | null;
}

/**
 * Streams one run to the terminal: compact (or verbose) rendering with a live status line on a
 * TTY, or JSONL events with `--json`; approvals asked on the terminal; Ctrl-C interrupts the run
 * (a second Ctrl-C exits at once). Ends with a one-line summary and returns the exit code from
 * the run's outcome (see `EXIT_CODES`).
 */
export async function executeRun(input: ExecuteRunInput): Promise<ExecuteRunOutcome> {
  const { asm, stream, io, output } = input;
  const startedAt = Date.now();
  const events: AsmEvent[] = [];
  const interactive = io.stdin.isTTY === true && (output.json ? io.stderr.isTTY === true : io.stdout.isTTY === true);
  const notices = output.json ? io.stderr : io.stdout;
  // The sign of life goes where a person looks: under the rendered run, or on stderr while the
  // events go to a file or a pipe.
  const statusLine = notices.isTTY === true ? new StatusLineSink(notices, { label: input.label, color: output.color }) : null;

  let interrupts = 0;
  let cancelRequested = false;
  let interruptFailed = false;
  const interrupt = () => {
    interrupts += 1;
    if (interrupts > 1) {
      io.stderr.write("\nasm: second Ctrl-C, exiting now\n");
      io.exit(EXIT_CODES.user_cancelled);
      return;
    }
    cancelRequested = true;
    statusLine?.pause();
    io.stderr.write(`${statusLine ? "" : "\n"}asm: interrupting the run (Ctrl-C again to force)\n`);
    statusLine?.resume();
    asm.interrupt(stream.runId).catch(() => {
      // Not admitted yet, or between states: the next event stops the stream instead, which
      // interrupts the run just the same.
      interruptFailed = true;
    });
  };
  const removeInterrupt = io.onInterrupt(interrupt);

  const limitStats = emptyRunStats();
  let limitHit: string | null = null;
  const collector = callbackSink((event) => {
    if (interruptFailed) throw new AsmError("user_cancelled", limitHit ?? "interrupted (Ctrl-C)");
    if (event === null) return;
    events.push(event);
    updateRunStats(limitStats, event);
    const reached = limitHit === null ? limitReached(limitStats, input.limits) : null;
    if (reached !== null) {
      limitHit = reached;
      asm.interrupt(stream.runId).catch(() => {
        interruptFailed = true;
      });
    }
  });
  const approvals = approvalSink({
    approve: (id, decision) => asm.approve(id, decision),
    terminal: interactive ? { input: io.stdin, output: output.json ? io.stderr : io.stdout } : null,
    stderr: io.stderr,
    color: output.color && (output.json ? io.stderr : io.stdout).isTTY === true,
    allowTools: input.allowTools ?? [],
    decisions: input.decisions ?? null,
    pause: () => statusLine?.pause(),
    resume: () => statusLine?.resume(),
    onInterrupt: interrupt,
  });
  const sinks: Sink[] = [collector];
  if (output.json) {
    sinks.push(jsonlSink({ stream: io.stdout }));
    if (statusLine !== null) sinks.push(statusOnly(statusLine));
  } else sinks.push(statusLine ?? ttySink({ stream: io.stdout, stripAnsi: !output.color || io.stdout.isTTY !== true }));
  sinks.push(approvals);

  const base = output.verbose
    ? verboseRenderer({ color: output.color })
    : compactRenderer({
        color: output.color,
        messageChars: Number.POSITIVE_INFINITY,
        // A question on the terminal shows the approval request itself; once is enough.
        omit: ["raw", "stderr", "cost_update", ...(interactive ? ["approval_requested" as const] : [])],
        footer: false,
      });
  // Error lines name the flags that set what they mention, as the summary does.
  const renderer: Renderer = {
    name: base.name,
    ...(base.init ? { init: () => base.init!() } : {}),
    render: (event) => base.render(event.kind === "error" ? { ...event, payload: { ...event.payload, message: flagHints(event.payload.message) } } : event),
    finish: (stats) => base.finish(stats),
    // A run stopped mid-text: the summary must not be glued to the open line.
    ...(base.abort ? { abort: () => base.abort!() } : {}),
  };

  let outcome;
  try {
    outcome = await renderStream(stream, { renderer, sinks });
  } finally {
    removeInterrupt();
  }

  let result: Result | null = null;
  try {
    result = events.length > 0 ? finalResult(events) : null;
  } catch {
    result = null;
  }
  const error = outcome.ok ? null : outcome.error;
  const denied = deniedApprovals(events);
  let exitCode: number;
  // Stopped at a limit: a failure of the run, not the user's interrupt.
  if (limitHit !== null) exitCode = EXIT_CODES.failure;
  else if (error !== null) exitCode = cancelRequested ? EXIT_CODES.user_cancelled : exitCodeFor(error);
  else if (result === null) exitCode = EXIT_CODES.failure;
  // The agent finished, but without doing something it asked to do: not a success for a script.
  else if (result.status === "completed") exitCode = denied > 0 ? EXIT_CODES.failure : EXIT_CODES.success;
  else if (result.status === "interrupted" || cancelRequested) exitCode = EXIT_CODES.user_cancelled;
  else exitCode = exitCodeFor(result.error ?? new AsmError("unknown", "the run failed"));

  const summary = { deniedApprovals: denied, wallMs: Date.now() - startedAt, stoppedBy: limitHit };
  await print(notices, summaryLine(result, error, exitCode, output.color && notices.isTTY === true, summary));
  return { exitCode, result, events, error };
}

/** What the summary line says besides the result. */
export interface SummaryFacts {
  /** Approvals denied during the run. */
  deniedApprovals?: number;
  /** The run's wall time as `asm` saw it (the provider's own duration leaves out start-up). */
  wallMs?: number;
  /** The limit the run was stopped at. */
  stoppedBy?: string | null;
}

function limitReached(stats: RunStats, limits: RunLimits | undefined): string | null {
  if (limits === undefined) return null;
  if (limits.maxTurns !== null && stats.turns > limits.maxTurns) return `stopped after ${limits.maxTurns} turn${limits.maxTurns === 1 ? "" : "s"} (--max-turns ${limits.maxTurns})`;
  if (limits.maxBudgetUsd !== null && stats.costUsd !== null && stats.costUsd > limits.maxBudgetUsd) {
    return `stopped at ${formatCost(stats.costUsd)}, over the budget (--max-budget-usd ${limits.maxBudgetUsd})`;
  }
  return null;
}

// The status line alone (for --json, where the events are the output).
function statusOnly(statusLine: StatusLineSink): Sink {
  return {
    name: "status-only",
    open: () => statusLine.open(),
    write: () => undefined,
    writeEvent: (event: AsmEvent) => statusLine.writeEvent(event, ""),
    flush: () => undefined,
    close: () => statusLine.close(),
  };
}

/** How many approvals of the run were denied. */
function deniedApprovals(events: readonly AsmEvent[]): number {
  return events.filter((event) => event.kind === "approval_resolved" && event.payload.decision === "deny").length;
}

/**
 * The last line of a run: status, time, tokens, cost, the session id to resume, and the exit code
 * on failure (a completed run with denied approvals says how many and exits 1).
 */
export function summaryLine(result: Result | null, error: AsmError | null, exitCode: number, color: boolean, extra: SummaryFacts = {}): string {
  const paint = painter(color);
  const deniedApprovals = extra.deniedApprovals ?? 0;
  if (extra.stoppedBy) {
    const time = formatDuration(extra.wallMs ?? result?.durationMs ?? 0);
    const usage = result ? ` · tokens ${result.usage.inputTokens} in / ${result.usage.outputTokens} out · cost ${formatCost(result.costUsd)}` : "";
    return paint("red", `✖ ${extra.stoppedBy} · ${time}${usage} (exit ${exitCode})`) + "\n";
  }
  if (error !== null || result === null) {
    const failure = error ?? new AsmError("runtime", "the run produced no events");
    return paint("red", `✖ ${failure.code}: ${flagHints(failure.reason)} (exit ${exitCode})`) + "\n";
  }
  const facts = [formatDuration(extra.wallMs ?? result.durationMs), `tokens ${result.usage.inputTokens} in / ${result.usage.outputTokens} out`, `cost ${formatCost(result.costUsd)}`];
  const resume = result.providerSessionId ? ` · session ${result.providerSessionId}` : "";
  if (result.status === "completed" && deniedApprovals > 0) {
    const approvals = deniedApprovals === 1 ? "1 approval" : `${deniedApprovals} approvals`;
    return paint("yellow", `! completed with ${approvals} denied · ${facts.join(" · ")}${resume} (exit ${exitCode})`) + "\n";
  }
  if (result.status === "completed") return paint("green", `✔ completed · ${facts.join(" · ")}${resume}`) + "\n";
  if (result.status === "interrupted" || exitCode === EXIT_CODES.user_cancelled) {
    return paint("yellow", `■ interrupted · ${facts.join(" · ")} (exit ${exitCode})`) + "\n";
  }
  const reason = result.error ? `${result.error.code}: ${flagHints(result.error.reason)}` : "failed";
  return paint("red", `✖ ${reason} · ${facts[0]} (exit ${exitCode})`) + "\n";
}
