// A Phoenix Channels server in TypeScript on `ws`, conformant to what the `phoenix` 1.8 client
// expects (the v1.8 server's join, reply, leave, close and error semantics), for tests that run
// the real client on loopback where no Phoenix server can run.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { decodeBinaryFrame, decodeTextFrame, encodeBinaryBroadcast, encodeTextFrame, type PhoenixFrame } from "./phoenix-frames.js";

const BEARER_PREFIX = "base64url.bearer.phx.";

/** Who is connecting: the query params (without `vsn`) and the bearer token, if one was offered. */
export interface PhoenixConnectInfo {
  params: Record<string, string>;
  token: string | null;
}

/** A join verdict: accept (with a reply map), refuse (with a reply map), or no channel for the topic. */
export type PhoenixJoinVerdict = { status: "ok"; response?: Record<string, unknown> } | { status: "error"; response: Record<string, unknown> } | "unmatched";

/** What the channel does with one inbound event. */
export interface PhoenixChannelAction {
  /** Reply to the push; omitted = no reply (the client's push times out). */
  reply?: { status: "ok" | "error"; response?: Record<string, unknown> };
  /** Broadcast the event (payload as sent) to every connection joined to the topic, the sender included. */
  broadcast?: boolean;
  /** Close the channel gracefully (`phx_close`) after replying. */
  close?: boolean;
  /** Crash the channel (`phx_error`). */
  crash?: boolean;
}

/** One inbound channel event, as the handler sees it. */
export interface PhoenixInbound {
  connection: number;
  topic: string;
  event: string;
  payload: unknown;
}

/** Options of {@link startPhoenixServer}. */
export interface PhoenixServerOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Mount path; the client connects to `<mount>/websocket`. Default `/socket`. */
  mount?: string;
  /** Connect rule; false answers the upgrade with HTTP 403, as Phoenix does. Default: accept. */
  connect?: (info: PhoenixConnectInfo) => boolean;
  /** Join rule per topic. Default: accept every topic. */
  join?: (topic: string, payload: unknown, info: PhoenixConnectInfo) => PhoenixJoinVerdict;
  /**
   * Channel handler. The default knows `shout` (broadcast, ok), `echo` (ok with the payload),
   * `fail` (error), `silent` (no reply), `close_me` and `crash_me`, and relays every other event
   * (broadcast, ok).
   */
  handle?: (inbound: PhoenixInbound) => PhoenixChannelAction;
  /** `ws` maxPayload in bytes. */
  maxPayload?: number;
}

/** A logged frame. */
export interface PhoenixFrameLog {
  at: number;
  direction: "in" | "out";
  connection: number;
  frame: PhoenixFrame;
}

/** A running test server, from {@link startPhoenixServer}. */
export interface PhoenixTestServer {
  /** `ws://127.0.0.1:<port><mount>`: the endpoint to give the client. */
  readonly url: string;
  readonly port: number;
  /** Every frame in and out, in order. */
  readonly frames: PhoenixFrameLog[];
  /** Every upgrade attempt. */
  readonly upgrades: { at: number; path: string; info: PhoenixConnectInfo; refused: boolean }[];
  /** Every WebSocket close. */
  readonly closes: { at: number; connection: number; code: number }[];
  /** Connections open now. */
  connectionCount(): number;
  /** Stops (true) or resumes answering heartbeats. */
  ignoreHeartbeats(ignore: boolean): void;
  /** Stops (true) or resumes replying to joins. */
  ignoreJoins(ignore: boolean): void;
  /** Broadcasts `[null, null, topic, event, payload]` (kind 2 when the payload is an ArrayBuffer). */
  broadcast(topic: string, event: string, payload: unknown): void;
  /** Pushes to one connection's channel (`[join_ref, null, …]`), optionally under a forged join_ref. */
  push(connection: number, topic: string, event: string, payload: unknown, joinRef?: string): void;
  /** Closes (`phx_close`) or crashes (`phx_error`) one connection's channel. */
  endChannel(connection: number, topic: string, how: "close" | "crash"): void;
  /** Closes every WebSocket with `code`. */
  closeAll(code?: number, reason?: string): void;
  /** Simulates a crash: terminates every connection and stops listening. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

interface Connection {
  id: number;
  socket: WebSocket;
  info: PhoenixConnectInfo;
  joins: Map<string, string | null>;
}

function decodeToken(protocols: string | undefined): string | null {
  for (const protocol of (protocols ?? "").split(",").map((p) => p.trim())) {
    if (protocol.startsWith(BEARER_PREFIX)) {
      const base64 = protocol.slice(BEARER_PREFIX.length);
      return Buffer.from(base64, "base64").toString("latin1");
    }
  }
  return null;
}

function defaultHandle({ event, payload }: PhoenixInbound): PhoenixChannelAction {
  switch (event) {
    case "echo":
      return { reply: { status: "ok", response: (payload ?? {}) as Record<string, unknown> } };
    case "fail":
      return { reply: { status: "error", response: { reason: "failed" } } };
    case "silent":
      return {};
    case "close_me":
      return { reply: { status: "ok" }, close: true };
    case "crash_me":
      return { crash: true };
    default:
      return { reply: { status: "ok" }, broadcast: true };
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Starts the server on 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await startPhoenixServer({ join: (topic) => (topic.startsWith("asm:") ? { status: "ok" } : "unmatched") });
 * const socket = new Socket(server.url, { transport: WebSocket });
 * // … the real client against it …
 * await server.stop();
 * ```
 */
export async function startPhoenixServer(options: PhoenixServerOptions = {}): Promise<PhoenixTestServer> {
  const mount = options.mount ?? "/socket";
  const join = options.join ?? ((): PhoenixJoinVerdict => ({ status: "ok" }));
  const handle = options.handle ?? defaultHandle;
  const connections = new Map<number, Connection>();
  const rawSockets = new Set<Duplex>();
  const frames: PhoenixFrameLog[] = [];
  const upgrades: PhoenixTestServer["upgrades"] = [];
  const closes: PhoenixTestServer["closes"] = [];
  let nextId = 1;
  let heartbeatsIgnored = false;
  let joinsIgnored = false;
  let port = options.port ?? 0;
  let http: Server | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
    handleProtocols: (protocols) => (protocols.has("phoenix") ? "phoenix" : false),
  });

  function send(connection: Connection, frame: PhoenixFrame): void {
    frames.push({ at: Date.now(), direction: "out", connection: connection.id, frame });
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    if (frame.payload instanceof ArrayBuffer && frame.joinRef === null && frame.ref === null) {
      connection.socket.send(encodeBinaryBroadcast(frame.topic, frame.event, frame.payload));
    } else {
      connection.socket.send(encodeTextFrame(frame));
    }
  }

  function reply(connection: Connection, frame: PhoenixFrame, status: "ok" | "error", response: Record<string, unknown> = {}, joinRef = frame.joinRef): void {
    send(connection, { joinRef, ref: frame.ref, topic: frame.topic, event: "phx_reply", payload: { status, response } });
  }

  function broadcast(topic: string, event: string, payload: unknown): void {
    for (const connection of connections.values()) {
      if (connection.joins.has(topic)) send(connection, { joinRef: null, ref: null, topic, event, payload });
    }
  }

  function onFrame(connection: Connection, frame: PhoenixFrame): void {
    frames.push({ at: Date.now(), direction: "in", connection: connection.id, frame });
    const { topic, event } = frame;
    if (topic === "phoenix" && event === "heartbeat") {
      if (!heartbeatsIgnored) reply(connection, frame, "ok", {}, null);
      return;
    }
    if (event === "phx_join") {
      if (joinsIgnored) return;
      const current = connection.joins.get(topic);
      if (current !== undefined) {
        // A second join of a joined topic: the old channel closes first, as in Phoenix.
        send(connection, { joinRef: current, ref: current, topic, event: "phx_close", payload: {} });
        connection.joins.delete(topic);
      }
      const verdict = join(topic, frame.payload, connection.info);
      if (verdict === "unmatched") {
        reply(connection, frame, "error", { reason: "unmatched topic" }, null);
        return;
      }
      if (verdict.status === "ok") connection.joins.set(topic, frame.joinRef);
      reply(connection, frame, verdict.status, verdict.response ?? {});
      return;
    }
    const joined = connection.joins.get(topic);
    if (event === "phx_leave") {
      if (joined === undefined) return reply(connection, frame, "ok");
      if (frame.joinRef !== null && frame.joinRef !== joined) return;
      reply(connection, frame, "ok");
      send(connection, { joinRef: joined, ref: joined, topic, event: "phx_close", payload: {} });
      connection.joins.delete(topic);
      return;
    }
    if (joined === undefined) return reply(connection, frame, "error", { reason: "unmatched topic" }, null);
    if (frame.joinRef !== joined) return;
    const action = handle({ connection: connection.id, topic, event, payload: frame.payload });
    if (action.broadcast) broadcast(topic, event, frame.payload);
    if (action.reply) reply(connection, frame, action.reply.status, action.reply.response ?? {});
    if (action.close) {
      send(connection, { joinRef: joined, ref: joined, topic, event: "phx_close", payload: {} });
      connection.joins.delete(topic);
    } else if (action.crash) {
      send(connection, { joinRef: joined, ref: joined, topic, event: "phx_error", payload: { reason: "channel_crash" } });
      connection.joins.delete(topic);
    }
  }

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== `${mount}/websocket`) return refuse(socket, "404 Not Found");
    const params: Record<string, string> = {};
    for (const [key, value] of url.searchParams) if (key !== "vsn") params[key] = value;
    const info: PhoenixConnectInfo = { params, token: decodeToken(request.headers["sec-websocket-protocol"]) };
    const vsnOk = url.searchParams.get("vsn") === "2.0.0";
    const allowed = vsnOk && (options.connect ? options.connect(info) : true);
    upgrades.push({ at: Date.now(), path: url.pathname, info, refused: !allowed });
    if (!allowed) return refuse(socket, "403 Forbidden");
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection: Connection = { id: nextId++, socket: ws, info, joins: new Map() };
      connections.set(connection.id, connection);
      ws.on("message", (data, isBinary) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
        const frame = isBinary ? decodeBinaryFrame(new Uint8Array(bytes)) : decodeTextFrame(bytes.toString("utf8"));
        if (!frame) {
          ws.close(1003, "bad frame");
          return;
        }
        onFrame(connection, frame);
      });
      ws.on("close", (code) => {
        closes.push({ at: Date.now(), connection: connection.id, code });
        connections.delete(connection.id);
      });
      ws.on("error", () => undefined);
    });
  }

  async function start(): Promise<void> {
    if (http) return;
    const server = createServer((_request, response) => {
      response.writeHead(404).end();
    });
    server.on("connection", (socket) => {
      rawSockets.add(socket);
      socket.on("close", () => rawSockets.delete(socket));
    });
    server.on("upgrade", onUpgrade);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (typeof address === "object" && address !== null) port = address.port;
    http = server;
  }

  async function stop(): Promise<void> {
    const server = http;
    http = null;
    for (const connection of connections.values()) connection.socket.terminate();
    for (const socket of rawSockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  await start();
  return {
    get url() {
      return `ws://127.0.0.1:${port}${mount}`;
    },
    get port() {
      return port;
    },
    frames,
    upgrades,
    closes,
    connectionCount: () => connections.size,
    ignoreHeartbeats(ignore) {
      heartbeatsIgnored = ignore;
    },
    ignoreJoins(ignore) {
      joinsIgnored = ignore;
    },
    broadcast,
    push(id, topic, event, payload, joinRef) {
      const connection = connections.get(id);
      if (!connection) return;
      send(connection, { joinRef: joinRef ?? connection.joins.get(topic) ?? null, ref: null, topic, event, payload });
    },
    endChannel(id, topic, how) {
      const connection = connections.get(id);
      const joined = connection?.joins.get(topic);
      if (!connection || joined === undefined) return;
      send(connection, how === "close"
        ? { joinRef: joined, ref: joined, topic, event: "phx_close", payload: {} }
        : { joinRef: joined, ref: joined, topic, event: "phx_error", payload: { reason: "channel_crash" } });
      connection.joins.delete(topic);
    },
    closeAll(code = 1000, reason = "") {
      for (const connection of connections.values()) connection.socket.close(code, reason);
    },
    stop,
    start,
  };
}
