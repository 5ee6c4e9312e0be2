import { PassThrough, Writable } from "node:stream";
import type { SurfaceExit, SurfaceProcess } from "@asm/core";
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { decode, encode, subjects, type ControlReply, type ControlRequest, type RunEvent, type RunHeartbeat } from "./protocol.js";

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
}

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
  private readonly timer: NodeJS.Timeout;
  private readonly subs: Subscription[];
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
      nc.subscribe(watch.events, { callback: (_error, msg) => this.read(msg, (message) => this.onEvent(message as RunEvent)) }),
      nc.subscribe(watch.heartbeat, { callback: (_error, msg) => this.read(msg, (message) => this.onHeartbeat(message as RunHeartbeat)) }),
    ];
    this.timer = setInterval(() => this.checkLiveness(), liveness.heartbeatMs);
  }

  /** The node answered the start: from now on only its messages count. */
  placed(node: string, pid: number): void {
    this.node = node;
    this.pid = pid;
    this.lastHeard = Date.now();
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

  private read(msg: Msg, onMessage: (message: unknown) => void): void {
    if (this.over) return;
    // Fleet runs subscribe with a wildcard node token: only the placed node's messages count.
    const token = msg.subject.split(".")[2];
    if (this.node !== null && token !== this.node) return;
    const message = decode<unknown>(msg.data);
    if (message !== null && typeof message === "object") onMessage(message);
  }

  private onEvent(event: RunEvent): void {
    this.lastHeard = Date.now();
    if (event.seq <= this.lastSeq) return; // a duplicate (a republish after a reconnect)
    if (event.seq !== this.lastSeq + 1) return this.lose(`events from node ${this.node ?? "?"} were lost: expected seq ${this.lastSeq + 1}, got ${event.seq}`, "sequence_gap");
    this.lastSeq = event.seq;
    if (event.kind === "stdout") this.stdout.write(`${event.line}\n`);
    else if (event.kind === "stderr") this.stderr.write(`${event.line}\n`);
    else if (event.kind === "node_down") this.lose(`node ${this.node ?? "?"} went down: ${event.reason}`, "node_down");
    else if (event.kind === "exit") this.settle({ exitCode: event.code, signal: event.signal });
  }

  private onHeartbeat(heartbeat: RunHeartbeat): void {
    this.lastHeard = Date.now();
    // Same publisher, same connection: a heartbeat past the last event means events were lost.
    if (typeof heartbeat.seq === "number" && heartbeat.seq > this.lastSeq) {
      this.lose(`events from node ${this.node ?? "?"} were lost: heartbeat at seq ${heartbeat.seq}, last event ${this.lastSeq}`, "sequence_gap");
    }
  }

  private checkLiveness(): void {
    if (this.over || this.node === null) return;
    // Renew the lease: a node ends runs whose client stopped renewing.
    if (!this.nc.isClosed()) this.nc.publish(subjects.lease(this.node, this.runId));
    if (this.probing) return;
    const silence = Date.now() - this.lastHeard;
    if (silence <= this.liveness.heartbeatMs * this.liveness.missedHeartbeats) return;
    this.probing = true;
    this.nc
      .request(subjects.control(this.node, this.runId), encode({ op: "ping" } satisfies ControlRequest), { timeout: this.liveness.pingTimeoutMs })
      .then((msg) => {
        const reply = decode<ControlReply>(msg.data);
        if (reply?.ok === true && typeof reply.seq === "number" && reply.seq > this.lastSeq) {
          this.lose(`events from node ${this.node ?? "?"} were lost: node at seq ${reply.seq}, last event ${this.lastSeq}`, "sequence_gap");
        } else this.lastHeard = Date.now();
      })
      .catch((error: Error) => {
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
    this.stdout.end();
    this.stderr.end();
    this.stdin.destroy();
    this.resolveExit(exit);
  }
}
