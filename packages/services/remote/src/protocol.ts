import { createRequire } from "node:module";
import { AsmError } from "@asm/contract";

/** Protocol id carried by every handshake and start. */
export const PROTO = "asm.remote.v2";

/** The capability a node must announce to take runs. */
export const START_CAPABILITY = "remote_backend_start_v2";

/** The `remote.node` value that places a run on any node of the fleet with a free slot. */
export const ANY_NODE = "any";

// One subject token: no `.`, `*`, `>` or whitespace (NATS would read them as structure).
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks that a node name or run id is one subject token; `field` names it in the error. */
export function assertToken(value: unknown, field: string): string {
  if (typeof value !== "string" || !TOKEN.test(value)) {
    throw new AsmError("config_invalid", `${field} must be 1–64 characters of [A-Za-z0-9_-], got ${JSON.stringify(value)}`, { details: { key: field } });
  }
  return value;
}

/**
 * The subjects of the hardened layout: every run subject sits under its node, so one permission
 * (`asm.node.<node>.>`) confines a node user to its own runs.
 */
export const subjects = {
  /** The prefix of every subject of one node (what a fleet client filters a wildcard by). */
  node: (node: string) => `asm.node.${node}.`,
  handshake: (node: string) => `asm.node.${node}.handshake`,
  bootstrap: (node: string) => `asm.node.${node}.bootstrap`,
  start: (node: string) => `asm.node.${node}.start`,
  alive: (node: string) => `asm.node.${node}.alive`,
  down: (node: string) => `asm.node.${node}.down`,
  events: (node: string, runId: string) => `asm.node.${node}.run.${runId}.events`,
  heartbeat: (node: string, runId: string) => `asm.node.${node}.run.${runId}.hb`,
  control: (node: string, runId: string) => `asm.node.${node}.run.${runId}.control`,
  /** The client's keep-alive for a run: without it the node ends the run. */
  lease: (node: string, runId: string) => `asm.node.${node}.run.${runId}.lease`,
  /** Fleet placement: one member of the version-scoped queue group answers. */
  any: "asm.nodes.any",
  /** Every node answers (listing). */
  list: "asm.nodes.list",
} as const;

/** The fleet queue group of an ASM version: nodes of other major.minor versions never share it. */
export function fleetQueue(asmVersion: string): string {
  const [major = "0", minor = "0"] = asmVersion.split(".");
  return `asm-nodes-${major}_${minor}`;
}

/** The node's private inbox prefix (a confined node user may subscribe only under it). */
export function nodeInboxPrefix(node: string): string {
  return `_INBOX_${node}`;
}

/** The ASM version this package speaks for (the kernel's). */
export const ASM_VERSION: string = (createRequire(import.meta.url)("@asm/core/package.json") as { version: string }).version;

/** What a node says about itself (handshake reply, listing). */
export interface NodeAnnouncement {
  proto: typeof PROTO;
  node: string;
  asm_version: string;
  runtime: { name: "node"; version: string };
  capabilities: string[];
  ready: boolean;
  active_runs: number;
  max_runs: number;
  labels: Record<string, string>;
  pid: number;
}

/** The start request: everything the node needs to spawn the CLI (and nothing of the client's own environment). */
export interface StartRequest {
  proto: typeof PROTO;
  runId: string;
  asm_version: string;
  runtime_major: number;
  required_capabilities: string[];
  command: string;
  args: string[];
  /** Empty: the node's default working directory. */
  cwd: string;
  /** Variables to set on top of the node's own environment. */
  env: Record<string, string>;
  /** Label selector for fleet placement. */
  labels?: Record<string, string>;
  /** Publish the events through JetStream (acked, de-duplicated, replayable). */
  durable?: boolean;
  /** The client renews its lease this often (ms); after 3 missed renewals the node ends the run. */
  lease_ms?: number;
}

/** Why a node refused a start. */
type StartRefusal = "version_mismatch" | "capability_mismatch" | "not_ready" | "busy" | "duplicate_run" | "bad_request" | "backend_start_failed" | "label_mismatch";

/** The start reply. */
export type StartReply = { ok: true; node: string; runId: string; pid: number } | { ok: false; error: { code: StartRefusal; message: string } };

/**
 * The header of one message of a run's event subject; `seq` starts at 1 and has no gaps, `exit`
 * is last. A `stdout` or `stderr` message carries the CLI's bytes after its header: one or more
 * whole lines, each ending in `\n`, exactly as the CLI wrote them.
 */
export type RunEvent =
  | { seq: number; kind: "stdout" | "stderr" }
  | { seq: number; kind: "exit"; code: number | null; signal: string | null }
  | { seq: number; kind: "node_down"; reason: string };

/** A run heartbeat: the last event seq published. */
export interface RunHeartbeat {
  node: string;
  seq: number;
}

/** A control request on a run. */
export type ControlRequest =
  | { op: "input"; data: string }
  | { op: "end_input" }
  | { op: "signal"; signal: NodeJS.Signals }
  | { op: "interrupt" }
  | { op: "close" }
  | { op: "ping" };

/** A control reply. */
export type ControlReply = { ok: true; alive?: boolean; seq?: number } | { ok: false; error: { code: string; message: string } };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NEWLINE = 10;
const EMPTY = new Uint8Array(0);

/** JSON body of a message. */
export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses a JSON body; null when it is not JSON (a foreign publisher). */
export function decode<T>(data: Uint8Array): T | null {
  try {
    return JSON.parse(decoder.decode(data)) as T;
  } catch {
    return null;
  }
}

/**
 * One event message: the JSON header, then (for output) `\n` and the lines' bytes. JSON text
 * never holds a raw newline, so the first `\n` ends the header; the lines travel unescaped and
 * the client hands them to the parser as they are.
 */
export function encodeRunEvent(header: RunEvent, lines?: Uint8Array): Uint8Array {
  const head = encoder.encode(JSON.stringify(header));
  if (lines === undefined) return head;
  const data = new Uint8Array(head.length + 1 + lines.length);
  data.set(head);
  data[head.length] = NEWLINE;
  data.set(lines, head.length + 1);
  return data;
}

/** The header and lines of an event message; null when it is not one (a foreign publisher). */
export function decodeRunEvent(data: Uint8Array): { event: RunEvent; lines: Uint8Array } | null {
  const end = data.indexOf(NEWLINE);
  const event = decode<RunEvent>(end === -1 ? data : data.subarray(0, end));
  if (event === null || typeof event !== "object" || typeof event.seq !== "number") return null;
  const lines = end === -1 ? EMPTY : data.subarray(end + 1);
  const output = event.kind === "stdout" || event.kind === "stderr";
  // Output is whole lines; anything else carries no bytes.
  if (output !== (lines.length > 0) || (output && lines[lines.length - 1] !== NEWLINE)) return null;
  return { event, lines };
}

/** `major.minor` of a version string. */
export function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** Major of this Node runtime. */
export function runtimeMajor(version: string = process.versions.node): number {
  return Number(version.split(".")[0]);
}
