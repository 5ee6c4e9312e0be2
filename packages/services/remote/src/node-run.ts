import type { Readable } from "node:stream";
import type { SurfaceProcess } from "@asm/core";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { DurableOutbox } from "./durable-log.js";
import { decode, encode, encodeRunEvent, subjects, type ControlReply, type ControlRequest, type RunEvent } from "./protocol.js";

/** An event before its seq is assigned. */
type RunEventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "seq"> : never) : never;

const NEWLINE = 10;

/** How long `close` waits after SIGTERM before SIGKILL. */
const CLOSE_GRACE_MS = 2_000;
/** How long the exit event waits for the pipes to drain after the leader exited (a grandchild may hold them). */
const PIPE_DRAIN_MS = 2_000;

/** Settings of one run on a node. */
interface NodeRunSetup {
  nc: NatsConnection;
  node: string;
  runId: string;
  proc: SurfaceProcess;
  heartbeatMs: number;
  /** How long without a lease renewal ends the run (ms), when the client keeps one. */
  leaseTimeoutMs?: number;
  /** The acked outbox of a durable run; without it events are plain publishes. */
  outbox?: DurableOutbox;
  /** Called once nothing of the run is left. */
  onDone: () => void;
}

/**
 * One CLI process on a node: its output lines published in order with a gap-free `seq`, a
 * heartbeat carrying the last seq, control requests (input, signals, close, ping) applied to the
 * run's process group, and `exit` always last.
 */
export class NodeRun {
  private seq = 0;
  private ended = false;
  private readonly control: Subscription;
  private readonly lease: Subscription | null = null;
  private leaseSeen = Date.now();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly done: Promise<void>;
  /** The most line bytes one event message carries (the server's max_payload less room for the header). */
  private readonly maxBytes: number;

  constructor(private readonly setup: NodeRunSetup) {
    const { nc, node, runId, proc } = setup;
    // Leave room for the header; a longer line ends the run instead of being cut.
    this.maxBytes = Math.max(1024, (nc.info?.max_payload ?? 1024 * 1024) - 512);
    this.control = nc.subscribe(subjects.control(node, runId), { callback: (_error, msg) => void this.onControl(msg.data, (reply) => msg.respond(encode(reply))) });
    const leaseTimeoutMs = setup.leaseTimeoutMs;
    if (leaseTimeoutMs !== undefined) {
      // A client that vanished (killed, partitioned) stops renewing: its CLI must not run on forever.
      this.lease = nc.subscribe(subjects.lease(node, runId), { callback: () => void (this.leaseSeen = Date.now()) });
    }
    this.heartbeat = setInterval(() => {
      this.publishHeartbeat();
      if (leaseTimeoutMs !== undefined && !this.ended && Date.now() - this.leaseSeen > leaseTimeoutMs) {
        this.note(`asm node: the client stopped renewing its lease for ${Date.now() - this.leaseSeen} ms; the run is ended`);
        void this.close();
      }
    }, setup.heartbeatMs);
    proc.stdin.on("error", () => undefined);
    const stdoutDone = this.pump(proc.stdout, "stdout");
    const stderrDone = this.pump(proc.stderr, "stderr");
    this.done = this.finish(stdoutDone, stderrDone);
  }

  /** Whether the run's events go through the durable log (it survives a server restart). */
  get durable(): boolean {
    return this.setup.outbox !== undefined;
  }

  /** Resolves once the run has ended and its group is gone. */
  get finished(): Promise<void> {
    return this.done;
  }

  /** The node's link is back: the client could not renew while it was down. */
  renewLease(): void {
    this.leaseSeen = Date.now();
  }

  /** Ends the run because the node is going away: `node_down`, then the group is ended. */
  async shutdown(reason: string): Promise<void> {
    if (!this.ended) this.publish({ kind: "node_down", reason });
    this.ended = true;
    await this.close();
    await this.done;
  }

  /** SIGTERM to the group, SIGKILL after the grace period. */
  async close(): Promise<void> {
    const { proc } = this.setup;
    if (!proc.isAlive()) return;
    await proc.signal("SIGTERM");
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (proc.isAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (proc.isAlive()) await proc.signal("SIGKILL");
  }

  private publish(event: RunEventBody, lines?: Uint8Array): void {
    if (this.ended) return;
    this.seq += 1;
    const subject = subjects.events(this.setup.node, this.setup.runId);
    const data = encodeRunEvent({ ...event, seq: this.seq }, lines);
    if (this.setup.outbox !== undefined) this.setup.outbox.push(subject, data, `${this.setup.runId}:${this.seq}`);
    else this.setup.nc.publish(subject, data);
  }

  private publishHeartbeat(): void {
    this.setup.nc.publish(subjects.heartbeat(this.setup.node, this.setup.runId), encode({ node: this.setup.node, seq: this.seq }));
  }

  /** A line of the node's own on the run's stderr. */
  private note(text: string): void {
    this.publish({ kind: "stderr" }, Buffer.from(`${text}\n`));
  }

  // Each chunk's whole lines go out as they arrived, in one message (split only where the
  // server's max_payload demands); only a trailing partial line waits for the next chunk.
  private pump(stream: Readable, kind: "stdout" | "stderr"): Promise<void> {
    return new Promise((resolve) => {
      let partial: Buffer | null = null;
      let overflowed = false;
      stream.on("data", (data: Buffer | string) => {
        if (overflowed) return;
        const chunk = typeof data === "string" ? Buffer.from(data) : data;
        const last = chunk.lastIndexOf(NEWLINE);
        if (last === -1) {
          partial = partial === null ? chunk : Buffer.concat([partial, chunk]);
        } else {
          const whole = partial === null ? chunk.subarray(0, last + 1) : Buffer.concat([partial, chunk.subarray(0, last + 1)]);
          partial = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
          overflowed = !this.lines(kind, whole);
        }
        if (!overflowed && partial !== null && partial.length > this.maxBytes) {
          this.overflow(kind, partial.length);
          overflowed = true;
        }
      });
      const end = () => {
        if (partial !== null && !overflowed) this.lines(kind, Buffer.concat([partial, Buffer.of(NEWLINE)]));
        partial = null;
        resolve();
      };
      stream.once("end", end);
      stream.once("close", end);
      stream.once("error", end);
    });
  }

  /** Publishes whole lines in messages that fit; false (the run is ended) for a line that cannot fit. */
  private lines(kind: "stdout" | "stderr", whole: Buffer): boolean {
    let rest = whole;
    while (rest.length > this.maxBytes) {
      const cut = rest.lastIndexOf(NEWLINE, this.maxBytes - 1);
      if (cut === -1) {
        this.overflow(kind, rest.indexOf(NEWLINE));
        return false;
      }
      this.publish({ kind }, rest.subarray(0, cut + 1));
      rest = rest.subarray(cut + 1);
    }
    if (rest.length > 0) this.publish({ kind }, rest);
    return true;
  }

  private overflow(kind: string, bytes: number): void {
    this.note(`asm node: a ${kind} line of ${bytes} bytes exceeds the server's max_payload; the run is ended`);
    void this.setup.proc.signal("SIGKILL");
  }

  private async onControl(data: Uint8Array, respond: (reply: ControlReply) => void): Promise<void> {
    const request = decode<ControlRequest>(data);
    const { proc } = this.setup;
    try {
      switch (request?.op) {
        case "ping":
          return respond({ ok: true, alive: !this.ended, seq: this.seq });
        case "input":
          if (typeof request.data !== "string") break;
          await new Promise<void>((resolve, reject) => proc.stdin.write(request.data, (error) => (error ? reject(error) : resolve())));
          return respond({ ok: true });
        case "end_input":
          proc.stdin.end();
          return respond({ ok: true });
        case "interrupt":
          await proc.signal("SIGINT");
          return respond({ ok: true });
        case "signal":
          if (!["SIGINT", "SIGTERM", "SIGKILL", "SIGHUP"].includes(request.signal)) break;
          await proc.signal(request.signal);
          return respond({ ok: true });
        case "close":
          respond({ ok: true });
          return await this.close();
        default:
          break;
      }
      respond({ ok: false, error: { code: "bad_request", message: "unknown control request" } });
    } catch (error) {
      respond({ ok: false, error: { code: "control_failed", message: (error as Error).message } });
    }
  }

  private async finish(stdoutDone: Promise<void>, stderrDone: Promise<void>): Promise<void> {
    const { proc } = this.setup;
    const exit = await proc.exited;
    const pipes = Promise.all([stdoutDone, stderrDone]);
    const drained = await Promise.race([pipes.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), PIPE_DRAIN_MS))]);
    // Whatever the leader left in its group goes with it.
    if (proc.isAlive()) await proc.signal("SIGKILL");
    if (!drained) {
      proc.stdout.destroy();
      proc.stderr.destroy();
    }
    this.publish({ kind: "exit", code: exit.exitCode, signal: exit.signal });
    this.ended = true;
    await this.setup.outbox?.drained();
    clearInterval(this.heartbeat);
    this.publishHeartbeat();
    const deadline = Date.now() + 5_000;
    while (proc.isAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // Late control requests (a client's best-effort close) still get an answer for a moment.
    this.lease?.unsubscribe();
    setTimeout(() => this.control.unsubscribe(), 1_000).unref();
    this.setup.onDone();
  }
}
