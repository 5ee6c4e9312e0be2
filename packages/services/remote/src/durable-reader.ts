import { AsmError } from "@asm/contract";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { RUNS_STREAM } from "./durable-log.js";
import { connectNats, type NatsOptions } from "./nats-connect.js";
import { assertToken, decodeRunEvent, subjects } from "./protocol.js";

const text = new TextDecoder();

/** Options of {@link readDurableRun}. */
export interface ReadDurableRunOptions {
  /** The NATS server holding the log (the one the node published to). */
  nats: NatsOptions;
  /** The run's id: the kernel's `runId`, as in every event of the run. */
  runId: string;
  /** The node the run ran on; found from the log when omitted. */
  node?: string;
  /**
   * How long to wait for a run still going to end (ms). 0 (the default) reads what the log holds
   * now and returns, with `ended: "in_progress"` if the run has not ended yet.
   */
  waitMs?: number;
  /** Connect timeout (ms, default 5 000). */
  connectTimeoutMs?: number;
}

/** A durable run as its node logged it: the CLI's output, as a transcript, and how the run ended. */
export interface DurableRunRecord {
  runId: string;
  node: string;
  /** The CLI's stdout, one line per logged line. */
  stdout: string;
  /** The CLI's stderr (and the node's own notices), one line per logged line. */
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  /** `exit` (the CLI ended), `node_down` (the node went away first), or `in_progress`. */
  ended: "exit" | "node_down" | "in_progress";
  /** Why the node went down, with `ended: "node_down"`. */
  nodeDownReason?: string;
  /** Log entries read. */
  entries: number;
}

/**
 * Reads a durable run (`asm run --remote … --durable`) back from the JetStream log its node wrote:
 * a second observer, or a client that lost its own copy, gets the CLI's output line for line and
 * how it ended. Feed the record to `replayTranscript` (`@asm/core-lane`) with the provider's
 * profile to get the events the run emitted. A run the log does not hold is `not_found`.
 *
 * @example
 * ```ts
 * const record = await readDurableRun({ nats: { servers: "nats://127.0.0.1:4222" }, runId });
 * const { events } = replayTranscript(claudeProfile, record);
 * ```
 */
export async function readDurableRun(options: ReadDurableRunOptions): Promise<DurableRunRecord> {
  // Both become subject tokens: a wildcard or separator there would read other runs.
  const runId = assertToken(options.runId, "runId");
  if (options.node !== undefined) assertToken(options.node, "node");
  const waitMs = options.waitMs ?? 0;
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new AsmError("config_invalid", "waitMs must be a number of milliseconds, 0 or more", { details: { key: "waitMs" } });
  const nc = await connectNats(options.nats, { timeoutMs: options.connectTimeoutMs ?? 5_000, reconnect: false });
  try {
    const subject = await logSubject(nc, runId, options.node);
    return await readLog(nc, subject, runId, waitMs);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

async function logSubject(nc: NatsConnection, runId: string, node: string | undefined): Promise<{ subject: string; node: string; count: number }> {
  const filter = subjects.events(node ?? "*", runId);
  let held: Record<string, number>;
  try {
    const info = await (await jetstreamManager(nc)).streams.info(RUNS_STREAM, { subjects_filter: filter });
    held = info.state.subjects ?? {};
  } catch (error) {
    throw new AsmError("not_found", `no durable run log on this server (stream ${RUNS_STREAM}): ${(error as Error).message}`, { cause: error, details: { runId } });
  }
  const found = Object.entries(held);
  if (found.length === 0) throw new AsmError("not_found", `the durable log holds no run ${runId}${node === undefined ? "" : ` on node ${node}`}`, { details: { runId, ...(node === undefined ? {} : { node }) } });
  if (found.length > 1) {
    const nodes = found.map(([name]) => name.split(".")[2]);
    throw new AsmError("config_invalid", `run ${runId} is logged by several nodes (${nodes.join(", ")}); name one with node`, { details: { key: "node", nodes } });
  }
  const [subject, count] = found[0]!;
  return { subject, node: subject.split(".")[2]!, count };
}

async function readLog(nc: NatsConnection, log: { subject: string; node: string; count: number }, runId: string, waitMs: number): Promise<DurableRunRecord> {
  const record: DurableRunRecord = { runId, node: log.node, stdout: "", stderr: "", exitCode: null, signal: null, ended: "in_progress", entries: 0 };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const consumer = await jetstream(nc).consumers.get(RUNS_STREAM, { filter_subjects: log.subject });
  const messages = await consumer.consume({ expires: 1_000 });
  const deadline = Date.now() + waitMs;
  // Nothing more comes for a run that is over, or once what the log held is read and the wait is up.
  const timer = setInterval(() => {
    if (record.entries >= log.count && Date.now() >= deadline) messages.stop();
  }, 50);
  try {
    for await (const msg of messages) {
      record.entries += 1;
      const decoded = decodeRunEvent(msg.data);
      const entry = decoded?.event;
      // Messages hold whole lines, so no character is split between two of them.
      if (entry?.kind === "stdout") stdout.push(text.decode(decoded?.lines));
      else if (entry?.kind === "stderr") stderr.push(text.decode(decoded?.lines));
      else if (entry?.kind === "exit") {
        record.ended = "exit";
        record.exitCode = entry.code;
        record.signal = entry.signal;
      } else if (entry?.kind === "node_down") {
        record.ended = "node_down";
        record.nodeDownReason = entry.reason;
      }
      if (record.ended !== "in_progress") break;
      if (record.entries >= log.count && waitMs === 0) break;
    }
  } finally {
    clearInterval(timer);
    messages.stop();
  }
  record.stdout = stdout.join("");
  record.stderr = stderr.join("");
  return record;
}
