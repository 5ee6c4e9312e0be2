import { PassThrough, Writable } from "node:stream";
import type { SurfaceExit, SurfaceProcess } from "@asm/core";
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { jetstream, type ConsumerMessages } from "@nats-io/jetstream";
import { RUNS_STREAM } from "./durable-log.js";
import { decode, decodeRunEvent, encode, subjects, type ControlReply, type ControlRequest, type RunEvent, type RunHeartbeat } from "./protocol.js";

/** Liveness settings of a remote run. */
export interface LivenessSettings {
  /** The node's heartbeat interval (ms). */
  heartbeatMs: number;
  /** Silence (in heartbeats) before the confirming ping. Default 2. */
  missedHeartbeats: number;
  /** Timeout of the confirming ping (ms). */
  pingTimeoutMs: number;
  /** Timeout of control calls (ms). */
  callTimeoutMs: number;
  /** Events come from the JetStream log (ordered consumer) instead of a core subscription. */
  durable: boolean;
}

/** After a reconnect, how long the node has to reconnect too before silence counts (ms). */
const RECONNECT_GRACE_MS = 5_000;

/**
 * A CLI process that runs on a remote node, seen through its subjects. Events arrive in `seq`
 * order; a gap, a `node_down`, or heartbeat silence confirmed by a failed ping ends it as *lost*
 * (the core lane then reports one `transport_error`), after which it is fenced: later messages
 * are ignored and a best-effort `close` is sent.
 */
export class RemoteProcess implements SurfaceProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly stdin: Writable;
  readonly exited: Promise<SurfaceExit>;
  private resolveExit!: (exit: SurfaceExit) => void;
  private lastSeq = 0;
  private lastHeard = Date.now();
  private over = false;
  private probing = false;
  private node: string | null;
  /** `subjects.node` of the placed node: only its messages count. */
  private nodeSubjects: string | null;
  private readonly timer: NodeJS.Timeout;
  private readonly subs: Subscription[];
  private suspended = false;
  /** No liveness verdict before this time (the node may reconnect after the client). */
  private graceUntil = 0;
  private messages: ConsumerMessages | null = null;
  pid = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly runId: string,
    /** The node, or null until a fleet placement names it. */
    node: string | null,
    private readonly liveness: LivenessSettings,
    /** Run subjects to read; a fleet run passes a wildcard node token. */
    watch: { events: string; heartbeat: string },
  ) {
    this.node = node;
    this.nodeSubjects = node === null ? null : subjects.node(node);
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.stdin = new Writable({
      decodeStrings: false,
      write: (chunk: Buffer | string, _encoding, callback) => {
        this.call({ op: "input", data: chunk.toString() }).then(() => callback(), callback);
      },
      final: (callback) => {
        this.call({ op: "end_input" }).then(() => callback(), () => callback());
      },
    });
    this.stdin.on("error", () => undefined);
    // Callbacks, not iterators: they run in arrival order across both subjects, which the
    // heartbeat's gap check relies on.
    this.subs = [
      ...(liveness.durable ? [] : [nc.subscribe(watch.events, { callback: (_error, msg) => this.readEvent(msg) })]),
      nc.subscribe(watch.heartbeat, { callback: (_error, msg) => this.readHeartbeat(msg) }),
    ];
    this.timer = setInterval(() => this.checkLiveness(), liveness.heartbeatMs);
  }

  /** The node answered the start: from now on only its messages count. */
  placed(node: string, pid: number): void {
    this.node = node;
    this.nodeSubjects = subjects.node(node);
    this.pid = pid;
    this.lastHeard = Date.now();
    if (this.liveness.durable) void this.consume(node);
  }

  /** Whether the run reads its events from the durable log. */
  get durable(): boolean {
    return this.liveness.durable;
  }

  /** The client's link dropped: a durable run waits for it (the log keeps the events). */
  suspend(): void {
    this.suspended = true;
  }

  /** The link is back: silence counts again once the node had time to reconnect too. */
  resume(): void {
    this.suspended = false;
    this.graceUntil = Date.now() + RECONNECT_GRACE_MS;
  }

  // Reads the run from the log from its first event; an ordered consumer re-creates itself after a
  // reconnect at the next stream sequence, so nothing is missed or repeated.
  private async consume(node: string): Promise<void> {
    try {
      const consumer = await jetstream(this.nc).consumers.get(RUNS_STREAM, { filter_subjects: subjects.events(node, this.runId) });
      const messages = await consumer.consume({ expires: 2_000 });
      this.messages = messages;
      if (this.over) return void messages.stop();
      for await (const msg of messages) {
        if (this.over) break;
        const decoded = decodeRunEvent(msg.data);
        if (decoded !== null) this.onEvent(decoded.event, decoded.lines);
      }
    } catch (error) {
      this.lose(`cannot read the run's log: ${(error as Error).message}`, "log_failed");
    }
  }

  /** Ends the run as lost, with `reason` as the `transport_error` message. */
  lose(message: string, reason: string): void {
    if (this.over) return;
    this.settle({ exitCode: null, signal: null, lost: { message, details: { node: this.node, runId: this.runId, reason } } });
    // Fenced: a node that comes back (SIGCONT) must not keep a dead run going.
    if (this.node !== null && !this.nc.isClosed()) {
      this.nc.request(subjects.control(this.node, this.runId), encode({ op: "close" } satisfies ControlRequest), { timeout: 1_000 }).catch(() => undefined);
    }
  }

  async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.over) return;
    try {
      await this.call(signal === "SIGINT" ? { op: "interrupt" } : { op: "signal", signal });
    } catch (error) {
      // A SIGKILL that cannot be delivered means the node is gone: nothing is left to wait for.
      if (signal === "SIGKILL") this.lose(`node ${this.node ?? "?"} did not take the kill: ${(error as Error).message}`, "control_failed");
    }
  }

  isAlive(): boolean {
    return !this.over;
  }

  describe(): Record<string, unknown> {
    return { node: this.node, runId: this.runId, remotePid: this.pid };
  }

  // Fleet runs subscribe with a wildcard node token: only the placed node's messages count.
  private counts(msg: Msg): boolean {
    return !this.over && (this.nodeSubjects === null || msg.subject.startsWith(this.nodeSubjects));
  }

  private readEvent(msg: Msg): void {
    if (!this.counts(msg)) return;
    const decoded = decodeRunEvent(msg.data);
    if (decoded !== null) this.onEvent(decoded.event, decoded.lines);
  }

  private readHeartbeat(msg: Msg): void {
    if (!this.counts(msg)) return;
    const heartbeat = decode<RunHeartbeat>(msg.data);
    if (heartbeat !== null && typeof heartbeat === "object") this.onHeartbeat(heartbeat);
  }

  private onEvent(event: RunEvent, lines: Uint8Array): void {
    this.lastHeard = Date.now();
    if (event.seq <= this.lastSeq) return; // a duplicate (a republish after a reconnect)
    if (event.seq !== this.lastSeq + 1) return this.lose(`events from node ${this.node ?? "?"} were lost: expected seq ${this.lastSeq + 1}, got ${event.seq}`, "sequence_gap");
    this.lastSeq = event.seq;
    if (event.kind === "stdout") this.stdout.write(lines);
    else if (event.kind === "stderr") this.stderr.write(lines);
    else if (event.kind === "node_down") this.lose(`node ${this.node ?? "?"} went down: ${event.reason}`, "node_down");
    else if (event.kind === "exit") this.settle({ exitCode: event.code, signal: event.signal });
  }

  private onHeartbeat(heartbeat: RunHeartbeat): void {
    this.lastHeard = Date.now();
    // Same publisher, same connection: a heartbeat past the last event means events were lost
    // (not with the log, which a consumer reads at its own pace).
    if (!this.liveness.durable && typeof heartbeat.seq === "number" && heartbeat.seq > this.lastSeq) {
      this.lose(`events from node ${this.node ?? "?"} were lost: heartbeat at seq ${heartbeat.seq}, last event ${this.lastSeq}`, "sequence_gap");
    }
  }

  private checkLiveness(): void {
    if (this.over || this.node === null) return;
    // Renew the lease: a node ends runs whose client stopped renewing.
    if (!this.nc.isClosed()) this.nc.publish(subjects.lease(this.node, this.runId));
    if (this.probing || this.suspended || Date.now() < this.graceUntil) return;
    const silence = Date.now() - this.lastHeard;
    if (silence <= this.liveness.heartbeatMs * this.liveness.missedHeartbeats) return;
    this.probing = true;
    this.nc
      .request(subjects.control(this.node, this.runId), encode({ op: "ping" } satisfies ControlRequest), { timeout: this.liveness.pingTimeoutMs })
      .then((msg) => {
        const reply = decode<ControlReply>(msg.data);
        if (this.over || this.suspended) return;
        if (!this.liveness.durable && reply?.ok === true && typeof reply.seq === "number" && reply.seq > this.lastSeq) {
          this.lose(`events from node ${this.node ?? "?"} were lost: node at seq ${reply.seq}, last event ${this.lastSeq}`, "sequence_gap");
        } else this.lastHeard = Date.now();
      })
      .catch((error: Error) => {
        if (this.over || this.suspended) return;
        const gone = (error as { isNoResponders?: () => boolean }).isNoResponders?.() === true;
        const why = gone ? "its connection is gone (no responders)" : "it did not answer a ping (frozen or cut off)";
        this.lose(`node ${this.node ?? "?"} lost: no heartbeat for ${silence} ms and ${why}`, gone ? "node_gone" : "node_unresponsive");
      })
      .finally(() => (this.probing = false));
  }

  private async call(request: ControlRequest): Promise<void> {
    if (this.over || this.node === null) throw new Error("the remote run has ended");
    const msg = await this.nc.request(subjects.control(this.node, this.runId), encode(request), { timeout: this.liveness.callTimeoutMs });
    const reply = decode<ControlReply>(msg.data);
    if (reply?.ok !== true) throw new Error(reply?.ok === false ? reply.error.message : "bad control reply");
  }

  private settle(exit: SurfaceExit): void {
    if (this.over) return;
    this.over = true;
    clearInterval(this.timer);
    for (const sub of this.subs) sub.unsubscribe();
    void this.messages?.stop();
    this.stdout.end();
    this.stderr.end();
    this.stdin.destroy();
    this.resolveExit(exit);
  }
}
