import { AsmError, type AnyProviderDefinition, type BackendStartConfig, type ExecutionSurface, type ProviderBackend } from "@asm/contract";
import { createCoreBackend, type CoreBackendOptions, type SurfaceDriver, type SurfaceProcess, type SurfaceSpawnRequest } from "@asm/core";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectNats, type NatsOptions } from "./nats-connect.js";
import {
  ANY_NODE,
  ASM_VERSION,
  PROTO,
  START_CAPABILITY,
  decode,
  encode,
  majorMinor,
  runtimeMajor,
  subjects,
  type NodeAnnouncement,
  type StartReply,
  type StartRequest,
} from "./protocol.js";
import { RemoteProcess } from "./remote-process.js";
import { parseRemoteSettings, type RemoteRunSettings } from "./remote-settings.js";

/** Options of {@link createRemoteClient}. */
export interface RemoteClientOptions {
  nats: NatsOptions;
  /** Defaults for every run's `remote` settings (a run's own win key by key). */
  defaults?: Partial<RemoteRunSettings>;
  /** Options of the core lane that drives the remote CLIs (its surfaces are the client's own). */
  coreLane?: Omit<CoreBackendOptions, "surfaces">;
}

/** The client side of remote nodes: the kernel's `remoteBackend`, node listing, and the connection's end. */
export interface RemoteClient {
  /** Pass as `createAsm({ config: { remoteBackend } })`: runs with `executionMode: "remote_node"` go through it. */
  readonly remoteBackend: (provider: AnyProviderDefinition) => ProviderBackend;
  /** Every node that answers within `waitMs` (default 500): version, capabilities, free slots. */
  listNodes(waitMs?: number): Promise<NodeAnnouncement[]>;
  /** Closes the NATS connection (runs still going through it end as lost). */
  close(): Promise<void>;
}

function preflightError(reason: string, message: string, details: Record<string, unknown> = {}): AsmError {
  return new AsmError("connection_failed", `remote preflight failed: ${reason}: ${message}`, { details: { reason, ...details } });
}

function requestError(error: unknown, stage: string, node: string): AsmError {
  if (AsmError.isInstance(error)) return error;
  const e = error as Error & { isNoResponders?: () => boolean };
  if (e.isNoResponders?.() === true) {
    return new AsmError("connection_failed", `remote ${stage} failed: remote_not_ready: no node ${node} is connected`, { cause: error, details: { reason: "remote_not_ready", node } });
  }
  if (e.name === "TimeoutError") {
    return new AsmError("connection_failed", `remote ${stage} failed: remote_rpc_timeout: node ${node} did not answer`, { cause: error, details: { reason: "remote_rpc_timeout", node } });
  }
  return new AsmError("connection_failed", `remote ${stage} failed: ${e.message}`, { cause: error, details: { reason: "remote_rpc_failed", node } });
}

const REFUSALS: Record<string, string> = {
  version_mismatch: "remote_version_mismatch",
  capability_mismatch: "remote_capability_mismatch",
  not_ready: "remote_not_ready",
};

/**
 * Builds the client side: a connection made on first use, and a core lane whose surface is the
 * node. The session, the run, the parser and the pipeline stay in this process; only the CLI runs
 * on the node, so approvals (control lines on stdin) and interrupts cross the wire unchanged.
 *
 * @example
 * ```ts
 * const remote = createRemoteClient({ nats: { servers: "nats://127.0.0.1:4222" } });
 * const asm = createAsm({ providers: [claude()], config: { remoteBackend: remote.remoteBackend } });
 * await asm.query("claude", "hi", { executionMode: "remote_node", remote: { node: "n1" } });
 * await remote.close();
 * ```
 */
export function createRemoteClient(options: RemoteClientOptions): RemoteClient {
  let connection: Promise<NatsConnection> | null = null;
  const live = new Set<RemoteProcess>();
  let closing = false;

  function connectionFor(settings: RemoteRunSettings): Promise<NatsConnection> {
    if (closing) return Promise.reject(new AsmError("connection_failed", "remote connect failed: the remote client is closed", { details: { reason: "closed" } }));
    if (connection === null) {
      const pending = connectNats({ name: "asm-client", ...options.nats }, { timeoutMs: settings.connectTimeoutMs });
      connection = pending;
      pending.then(
        (nc) => {
          void (async () => {
            // No log is in use: a dropped link may have dropped events, so every run through it ends.
            for await (const status of nc.status()) {
              for (const proc of [...live]) {
                if (status.type === "disconnect") {
                  if (proc.durable) proc.suspend();
                  else proc.lose("the connection to the NATS server was lost", "disconnect");
                } else if (status.type === "reconnect" && proc.durable) proc.resume();
              }
            }
          })().catch(() => undefined);
          void nc.closed().then(() => {
            if (connection === pending) connection = null;
            for (const proc of [...live]) proc.lose("the connection to the NATS server closed", "disconnect");
          });
        },
        () => {
          if (connection === pending) connection = null;
        },
      );
    }
    return connection;
  }

  async function preflight(nc: NatsConnection, settings: RemoteRunSettings): Promise<void> {
    const node = settings.node;
    let hello: NodeAnnouncement | null;
    try {
      hello = decode<NodeAnnouncement>((await nc.request(subjects.handshake(node), encode({ proto: PROTO }), { timeout: settings.rpcTimeoutMs })).data);
    } catch (error) {
      throw requestError(error, "preflight", node);
    }
    if (hello === null || !Array.isArray(hello.capabilities) || !hello.capabilities.includes(START_CAPABILITY)) {
      throw preflightError("remote_capability_mismatch", `node ${node} does not offer ${START_CAPABILITY}`, { node, capabilities: hello?.capabilities ?? null });
    }
    if (majorMinor(hello.asm_version) !== majorMinor(ASM_VERSION)) {
      throw preflightError("remote_version_mismatch", `node ${node} runs ASM ${hello.asm_version}, this client ${ASM_VERSION}`, { node, remote: hello.asm_version, local: ASM_VERSION });
    }
    if (runtimeMajor(hello.runtime.version) !== runtimeMajor()) {
      throw preflightError("remote_version_mismatch", `node ${node} runs Node ${hello.runtime.version}, this client ${process.versions.node}`, { node });
    }
    if (hello.ready) return;
    if (settings.bootstrapMode === "require_prestarted") throw preflightError("remote_not_ready", `node ${node} is not ready`, { node });
    let after: NodeAnnouncement | null;
    try {
      after = decode<NodeAnnouncement>((await nc.request(subjects.bootstrap(node), encode({ proto: PROTO }), { timeout: settings.rpcTimeoutMs })).data);
    } catch (error) {
      throw requestError(error, "bootstrap", node);
    }
    if (after?.ready !== true) throw new AsmError("connection_failed", `remote bootstrap failed: node ${node} is still not ready`, { details: { reason: "remote_not_ready", node } });
  }

  async function startOn(nc: NatsConnection, settings: RemoteRunSettings, body: StartRequest): Promise<Extract<StartReply, { ok: true }>> {
    const fleet = settings.node === ANY_NODE;
    for (let attempt = 0; ; attempt += 1) {
      let reply: StartReply | null;
      try {
        reply = decode<StartReply>((await nc.request(fleet ? subjects.any : subjects.start(settings.node), encode(body), { timeout: settings.rpcTimeoutMs })).data);
      } catch (error) {
        const failure = requestError(error, "backend start", settings.node);
        if (fleet && failure.details.reason === "remote_not_ready") {
          throw new AsmError("connection_failed", "remote backend start failed: no_capacity: no fleet node has a free slot", { cause: error, details: { reason: "no_capacity" } });
        }
        throw failure;
      }
      if (reply?.ok === true) return reply;
      const code = reply?.error.code ?? "bad_request";
      // A full node (or one without the labels) answers; the queue group picks another member next time.
      if (fleet && (code === "busy" || code === "label_mismatch") && attempt < settings.busyRetries) {
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
        continue;
      }
      const reason = REFUSALS[code] ?? (code === "busy" ? "no_capacity" : code);
      throw new AsmError("connection_failed", `remote backend start failed: ${reason}: ${reply?.error.message ?? "bad reply"}`, { details: { reason, node: settings.node } });
    }
  }

  const surface: SurfaceDriver = {
    kind: "local",
    runtime: "remote_node",
    local: false,
    localProcess: false,
    async spawn(request: SurfaceSpawnRequest, execution: ExecutionSurface): Promise<SurfaceProcess> {
      const { settings, runId } = execution.transportOptions as { settings: RemoteRunSettings; runId: string };
      const nc = await connectionFor(settings);
      if (settings.node !== ANY_NODE) await preflight(nc, settings);
      const node = settings.node === ANY_NODE ? null : settings.node;
      const token = node ?? "*";
      const proc = new RemoteProcess(
        nc,
        runId,
        node,
        {
          heartbeatMs: settings.heartbeatMs,
          missedHeartbeats: 2,
          pingTimeoutMs: settings.pingTimeoutMs,
          callTimeoutMs: settings.transportCallTimeoutMs ?? 5_000,
          durable: settings.durable,
        },
        { events: subjects.events(token, runId), heartbeat: subjects.heartbeat(token, runId) },
      );
      live.add(proc);
      void proc.exited.then(() => live.delete(proc));
      try {
        // The subscriptions must reach the server before the node can publish.
        await nc.flush();
        const reply = await startOn(nc, settings, {
          proto: PROTO,
          runId,
          asm_version: ASM_VERSION,
          runtime_major: runtimeMajor(),
          required_capabilities: [START_CAPABILITY],
          command: request.command,
          args: [...request.args],
          cwd: settings.cwd ?? request.cwd,
          // Only what the run sets: the client's own environment (and its secrets) stays here.
          env: request.remoteEnv,
          lease_ms: settings.heartbeatMs,
          ...(settings.durable ? { durable: true } : {}),
          ...(settings.labels === undefined ? {} : { labels: settings.labels }),
        });
        proc.placed(reply.node, reply.pid);
        return proc;
      } catch (error) {
        proc.lose("the remote start failed", "start_failed");
        throw error;
      }
    },
  };

  const coreLane: CoreBackendOptions = { reapOrphans: false, ...options.coreLane, surfaces: [surface] };
  const backends = new Map<string, ProviderBackend>();

  function remoteBackend(provider: AnyProviderDefinition): ProviderBackend {
    if (!provider.profile) throw new AsmError("unsupported", `provider ${provider.name} has no CLI profile to run on a remote node`, { provider: provider.name });
    let inner = backends.get(provider.name);
    if (inner === undefined) {
      inner = createCoreBackend(provider.profile, coreLane);
      backends.set(provider.name, inner);
    }
    const core = inner;
    return {
      specificationVersion: "v1",
      name: `remote:${provider.profile.id}`,
      start(config: BackendStartConfig) {
        const placement = config.execution.executionSurface;
        if (placement.kind !== "local") {
          throw new AsmError("config_invalid", `executionSurface.kind ${placement.kind} cannot be combined with executionMode remote_node (the node runs the CLI itself)`, {
            details: { key: "executionSurface.kind" },
          });
        }
        const settings = parseRemoteSettings(config.execution.remote, {
          transportCallTimeoutMs: config.execution.transportCallTimeoutMs,
          ...options.defaults,
        });
        return core.start({
          ...config,
          execution: {
            ...config.execution,
            executionSurface: { ...placement, transportOptions: { settings, runId: config.runId } },
          },
        });
      },
    };
  }

  return {
    remoteBackend,
    async listNodes(waitMs = 500) {
      const nc = await connectionFor(parseRemoteSettings({ node: ANY_NODE }, options.defaults));
      const nodes: NodeAnnouncement[] = [];
      try {
        for await (const msg of await nc.requestMany(subjects.list, encode({ proto: PROTO }), { strategy: "timer", maxWait: waitMs })) {
          const hello = decode<NodeAnnouncement>(msg.data);
          if (hello !== null && typeof hello.node === "string") nodes.push(hello);
        }
      } catch (error) {
        if ((error as { isNoResponders?: () => boolean }).isNoResponders?.() !== true) throw error;
      }
      return nodes.sort((a, b) => a.node.localeCompare(b.node));
    },
    async close() {
      closing = true;
      const pending = connection;
      connection = null;
      if (pending !== null) await (await pending.catch(() => null))?.drain().catch(() => undefined);
    },
  };
}
