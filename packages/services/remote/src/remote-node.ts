import { statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, relative, resolve } from "node:path";
import { AsmError } from "@asm/contract";
import { localSurface, type SurfaceProcess } from "@asm/core";
import type { Msg, Subscription } from "@nats-io/transport-node";
import { connectNats, type NatsOptions } from "./nats-connect.js";
import { DurableOutbox, ensureRunsStream } from "./durable-log.js";
import { NodeRun } from "./node-run.js";
import { NodeState } from "./node-state.js";
import {
  ASM_VERSION,
  START_CAPABILITY,
  PROTO,
  assertToken,
  decode,
  encode,
  fleetQueue,
  majorMinor,
  nodeInboxPrefix,
  runtimeMajor,
  subjects,
  type NodeAnnouncement,
  type StartReply,
  type StartRequest,
} from "./protocol.js";

/** Options of {@link startRemoteNode}. */
export interface RemoteNodeOptions {
  /** The node's name: one subject token, unique among connected nodes. */
  name: string;
  nats: NatsOptions;
  /** Runs at once; a full node leaves the fleet group and answers `busy`. Default 4. */
  maxRuns?: number;
  /** Heartbeat interval (ms) of the node and of each run. Default 500. */
  heartbeatMs?: number;
  /** Labels a fleet placement may select on. */
  labels?: Record<string, string>;
  /** Folders a run's working directory must lie in; default: any existing folder. */
  roots?: string[];
  /** Working directory of runs that name none. Default: the home folder. */
  defaultCwd?: string;
  /** Folder of the orphan reaper's record. Default `$ASM_STATE_DIR`, then the OS temp folder. */
  stateDir?: string;
  /** Start not ready: runs are refused (`not_ready`) until a client's `ensure_started` bootstraps the node. */
  startNotReady?: boolean;
  /** The environment runs start from (each run's own variables on top). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Shortest time without a lease renewal from the client before the node ends a run (ms); the
   * timeout is three of the client's renewal intervals, but never less. Default 5 000.
   */
  leaseFloorMs?: number;
  /** What the node announces (tests of mismatches set these). */
  asmVersion?: string;
  capabilities?: string[];
  connectTimeoutMs?: number;
}

/** A running node daemon. */
export interface RemoteNode {
  readonly name: string;
  /** Runs in progress. */
  activeRuns(): number;
  /**
   * Stops the node: leaves every group, publishes `node_down` (on the node and on each run), ends
   * the runs' process groups, drains the connection. Idempotent.
   */
  stop(reason?: string): Promise<void>;
  /** Resolves once the node has stopped (by `stop()` or because its connection closed for good). */
  readonly closed: Promise<void>;
}

function within(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function labelsMatch(wanted: Record<string, string> | undefined, have: Record<string, string>): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => have[key] === value);
}

/**
 * Starts a node daemon: connects (with the node's private inbox prefix, so a confined node user
 * works), refuses to boot when another node already answers to its name, reaps the groups a
 * killed predecessor left, then answers handshakes and starts CLIs on request. Readiness is
 * announced only after the subscriptions reached the server.
 *
 * @example
 * ```ts
 * const node = await startRemoteNode({ name: "n1", nats: { servers: "nats://127.0.0.1:4222" } });
 * process.once("SIGTERM", () => void node.stop("SIGTERM"));
 * ```
 */
export async function startRemoteNode(options: RemoteNodeOptions): Promise<RemoteNode> {
  const name = assertToken(options.name, "name");
  const maxRuns = options.maxRuns ?? 4;
  if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new AsmError("config_invalid", `maxRuns must be a positive integer, got ${String(maxRuns)}`, { details: { key: "maxRuns" } });
  const heartbeatMs = options.heartbeatMs ?? 500;
  const asmVersion = options.asmVersion ?? ASM_VERSION;
  const capabilities = options.capabilities ?? [START_CAPABILITY];
  const labels = options.labels ?? {};
  const baseEnv = Object.fromEntries(Object.entries(options.env ?? process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));

  const nc = await connectNats({ name: `asm-node-${name}`, ...options.nats }, { timeoutMs: options.connectTimeoutMs ?? 5_000, inboxPrefix: nodeInboxPrefix(name) });
  try {
    await nc.request(subjects.handshake(name), encode({ proto: PROTO }), { timeout: 500 });
    await nc.close();
    throw new AsmError("config_invalid", `a node named ${name} is already connected`, { details: { key: "name" } });
  } catch (error) {
    if (AsmError.isInstance(error)) throw error;
    // No responders (or silence): the name is free.
  }

  const state = new NodeState(name, options.stateDir);
  state.reap();
  const runs = new Map<string, NodeRun | "starting">();
  let ready = options.startNotReady !== true;
  let stopping = false;
  let fleet: Subscription | null = null;

  const announcement = (): NodeAnnouncement => ({
    proto: PROTO,
    node: name,
    asm_version: asmVersion,
    runtime: { name: "node", version: process.versions.node },
    capabilities,
    ready,
    active_runs: runs.size,
    max_runs: maxRuns,
    labels,
    pid: process.pid,
  });

  // Capacity is membership: a full node leaves the fleet group (drain answers what was already routed).
  const joinFleet = () => {
    if (fleet !== null || stopping || runs.size >= maxRuns) return;
    fleet = nc.subscribe(subjects.any, { queue: fleetQueue(asmVersion), callback: (_error, msg) => void onStart(msg, true) });
  };
  const leaveFleet = () => {
    const current = fleet;
    fleet = null;
    if (current !== null) void current.drain().catch(() => undefined);
  };

  const refuse = (msg: Msg, code: Extract<StartReply, { ok: false }>["error"]["code"], message: string): void => {
    msg.respond(encode({ ok: false, error: { code, message } } satisfies StartReply));
  };

  async function onStart(msg: Msg, placement: boolean): Promise<void> {
    const request = decode<StartRequest>(msg.data);
    if (request === null || request.proto !== PROTO || typeof request.runId !== "string" || typeof request.command !== "string" || !Array.isArray(request.args)) {
      return refuse(msg, "bad_request", `not an ${PROTO} start request`);
    }
    if (majorMinor(request.asm_version) !== majorMinor(asmVersion) || request.runtime_major !== runtimeMajor()) {
      return refuse(msg, "version_mismatch", `node ${name} runs ASM ${asmVersion} on Node ${process.versions.node}; the client runs ASM ${request.asm_version} on Node ${request.runtime_major}`);
    }
    const missing = (request.required_capabilities ?? []).filter((capability) => !capabilities.includes(capability));
    if (missing.length > 0) return refuse(msg, "capability_mismatch", `node ${name} lacks ${missing.join(", ")}`);
    if (!ready || stopping) return refuse(msg, "not_ready", `node ${name} is not ready`);
    if (placement && !labelsMatch(request.labels, labels)) return refuse(msg, "label_mismatch", `node ${name} does not carry the labels asked for`);
    if (runs.has(request.runId)) return refuse(msg, "duplicate_run", `run ${request.runId} already exists on node ${name}`);
    if (runs.size >= maxRuns) return refuse(msg, "busy", `node ${name} is running ${runs.size} of ${maxRuns} runs`);
    try {
      assertToken(request.runId, "runId");
    } catch {
      return refuse(msg, "bad_request", "runId must be one subject token");
    }
    // The slot is taken before anything is awaited, so concurrent starts cannot overbook.
    runs.set(request.runId, "starting");
    if (runs.size >= maxRuns) leaveFleet();

    let outbox: DurableOutbox | undefined;
    if (request.durable === true) {
      try {
        await ensureRunsStream(nc);
        outbox = new DurableOutbox(nc);
      } catch (error) {
        runs.delete(request.runId);
        joinFleet();
        return refuse(msg, "backend_start_failed", `a durable run needs JetStream on the server: ${(error as Error).message}`);
      }
    }
    const cwd = request.cwd === "" ? (options.defaultCwd ?? homedir()) : request.cwd;
    const roots = options.roots ?? [];
    let problem: string | null = null;
    if (roots.length > 0 && !roots.some((root) => within(root, cwd))) problem = `working directory ${cwd} is outside the node's roots`;
    else if (!(statSync(cwd, { throwIfNoEntry: false })?.isDirectory() ?? false)) problem = `working directory ${cwd} does not exist on node ${name}`;
    let proc: SurfaceProcess | null = null;
    if (problem === null) {
      try {
        proc = await localSurface.spawn({ command: request.command, args: request.args, cwd, env: { ...baseEnv, ...request.env }, remoteEnv: {} }, {
          kind: "local",
          transportOptions: {},
          observability: {},
        });
      } catch (error) {
        problem = (error as Error).message.replace(/^\[[a-z_/]+\] /, "");
      }
    }
    if (proc === null) {
      runs.delete(request.runId);
      joinFleet();
      return refuse(msg, "backend_start_failed", problem ?? "spawn failed");
    }
    state.add(proc.pid);
    const started = proc;
    const run = new NodeRun({
      nc,
      node: name,
      runId: request.runId,
      proc: started,
      heartbeatMs,
      ...(outbox === undefined ? {} : { outbox }),
      // Three missed renewals, but never less than the floor: a busy client's timers run late.
      ...(typeof request.lease_ms === "number" && request.lease_ms > 0 ? { leaseTimeoutMs: Math.max(3 * request.lease_ms, options.leaseFloorMs ?? 5_000) } : {}),
      onDone: () => {
        state.remove(started.pid);
        runs.delete(request.runId);
        joinFleet();
      },
    });
    runs.set(request.runId, run);
    msg.respond(encode({ ok: true, node: name, runId: request.runId, pid: started.pid } satisfies StartReply));
  }

  const subs: Subscription[] = [
    nc.subscribe(subjects.handshake(name), { callback: (_error, msg) => void msg.respond(encode(announcement())) }),
    nc.subscribe(subjects.list, { callback: (_error, msg) => void msg.respond(encode(announcement())) }),
    nc.subscribe(subjects.bootstrap(name), {
      callback: (_error, msg) => {
        if (!stopping) ready = true;
        msg.respond(encode(announcement()));
      },
    }),
    // A queue group named after the node: a stray second daemon of the same name cannot double-start runs.
    nc.subscribe(subjects.start(name), { queue: `asm-node-${name}`, callback: (_error, msg) => void onStart(msg, false) }),
  ];
  joinFleet();
  await nc.flush();
  const alive = setInterval(() => nc.publish(subjects.alive(name), encode(announcement())), heartbeatMs);

  // Without a log, whatever a run publishes while the server is away is lost: end those runs.
  void (async () => {
    for await (const status of nc.status()) {
      for (const run of runs.values()) {
        if (run === "starting") continue;
        if (status.type === "disconnect" && !run.durable) void run.close();
        if (status.type === "reconnect") run.renewLease();
      }
    }
  })().catch(() => undefined);

  let stopped: Promise<void> | null = null;
  const stop = (reason = "stopped") => {
    stopped ??= (async () => {
      stopping = true;
      clearInterval(alive);
      leaveFleet();
      for (const sub of subs) sub.unsubscribe();
      if (!nc.isClosed()) nc.publish(subjects.down(name), encode({ node: name, reason }));
      await Promise.all([...runs.values()].map((run) => (run === "starting" ? Promise.resolve() : run.shutdown(`node ${name} ${reason}`))));
      if (!nc.isClosed()) await nc.drain().catch(() => undefined);
    })();
    return stopped;
  };
  const closed = nc.closed().then(() => {
    clearInterval(alive);
    for (const run of runs.values()) if (run !== "starting") void run.close();
  });

  return { name, activeRuns: () => runs.size, stop, closed };
}
