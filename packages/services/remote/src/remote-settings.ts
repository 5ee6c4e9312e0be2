import { AsmError } from "@asm/contract";
import { ANY_NODE, assertToken } from "./protocol.js";

/**
 * A run's `remote` settings (`executionMode: "remote_node"`, `remote: { … }`), with the
 * original's option names and defaults.
 */
export interface RemoteRunSettings {
  /** The node's name, or `any` for fleet placement. */
  node: string;
  /** Connect timeout (ms). Default 5 000. */
  connectTimeoutMs: number;
  /** Timeout of the handshake, bootstrap and start requests (ms). Default 15 000. */
  rpcTimeoutMs: number;
  /** `require_prestarted` (default): a node that is not ready refuses; `ensure_started`: it is bootstrapped first. */
  bootstrapMode: "require_prestarted" | "ensure_started";
  /** Working directory on the node (wins over `cwd` and `workspaceRoot`); empty: the node's default. */
  cwd?: string;
  /** Labels a fleet node must carry (`node: "any"` only). */
  labels?: Record<string, string>;
  /** Heartbeat interval the node uses (ms); silence of 2 of them triggers the confirming ping. Default 500. */
  heartbeatMs: number;
  /** Timeout of the confirming ping (ms). Default 1 000: kept short, apart from the RPC timeout. */
  pingTimeoutMs: number;
  /** Timeout of control calls (input, interrupt, close) (ms). Default: the run's `transportCallTimeoutMs`. */
  transportCallTimeoutMs?: number;
  /** How many `busy` answers a fleet placement retries. Default 5. */
  busyRetries: number;
  /** Events go through JetStream: the run survives a server restart and a client reconnect. Default false. */
  durable: boolean;
}

const KEYS = new Set(["node", "connectTimeoutMs", "rpcTimeoutMs", "bootstrapMode", "cwd", "labels", "heartbeatMs", "pingTimeoutMs", "transportCallTimeoutMs", "busyRetries", "durable"]);

function positive(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new AsmError("config_invalid", `remote.${key} must be a positive number of milliseconds, got ${JSON.stringify(value)}`, { details: { key: `remote.${key}` } });
  }
  return value;
}

/** Reads and checks `remote` settings; every problem is `config_invalid` naming the field. */
export function parseRemoteSettings(raw: Record<string, unknown> | undefined, defaults: Partial<RemoteRunSettings> = {}): RemoteRunSettings {
  const input = { ...defaults, ...raw } as Record<string, unknown>;
  const unknown = Object.keys(raw ?? {}).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) throw new AsmError("config_invalid", `unknown remote option(s): ${unknown.join(", ")}`, { details: { key: "remote", keys: unknown } });
  const node = input.node === ANY_NODE ? ANY_NODE : assertToken(input.node, "remote.node");
  const bootstrapMode = input.bootstrapMode ?? "require_prestarted";
  if (bootstrapMode !== "require_prestarted" && bootstrapMode !== "ensure_started") {
    throw new AsmError("config_invalid", `remote.bootstrapMode must be require_prestarted or ensure_started, got ${JSON.stringify(bootstrapMode)}`, { details: { key: "remote.bootstrapMode" } });
  }
  if (input.cwd !== undefined && (typeof input.cwd !== "string" || input.cwd.includes("\0"))) {
    throw new AsmError("config_invalid", "remote.cwd must be a path", { details: { key: "remote.cwd" } });
  }
  const labels = input.labels;
  if (labels !== undefined && (typeof labels !== "object" || labels === null || Object.values(labels).some((value) => typeof value !== "string"))) {
    throw new AsmError("config_invalid", "remote.labels must map label names to strings", { details: { key: "remote.labels" } });
  }
  if (labels !== undefined && node !== ANY_NODE) throw new AsmError("config_invalid", 'remote.labels select among fleet nodes: use them with remote.node "any"', { details: { key: "remote.labels" } });
  const busyRetries = input.busyRetries ?? 5;
  if (typeof busyRetries !== "number" || !Number.isInteger(busyRetries) || busyRetries < 0) {
    throw new AsmError("config_invalid", "remote.busyRetries must be a non-negative integer", { details: { key: "remote.busyRetries" } });
  }
  const durable = input.durable ?? false;
  if (typeof durable !== "boolean") throw new AsmError("config_invalid", "remote.durable must be a boolean", { details: { key: "remote.durable" } });
  return {
    node,
    durable,
    connectTimeoutMs: positive(input.connectTimeoutMs, "connectTimeoutMs", 5_000),
    rpcTimeoutMs: positive(input.rpcTimeoutMs, "rpcTimeoutMs", 15_000),
    bootstrapMode,
    ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
    ...(labels === undefined ? {} : { labels: labels as Record<string, string> }),
    heartbeatMs: positive(input.heartbeatMs, "heartbeatMs", 500),
    pingTimeoutMs: positive(input.pingTimeoutMs, "pingTimeoutMs", 1_000),
    ...(input.transportCallTimeoutMs === undefined ? {} : { transportCallTimeoutMs: positive(input.transportCallTimeoutMs, "transportCallTimeoutMs", 5_000) }),
    busyRetries,
  };
}
