import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { AsmError } from "@asm/contract";

/** One HTTP request as a fake server received it. */
export interface RecordedRequest {
  /** Position among all requests this server received, starting at 0. */
  index: number;
  /** `GET`, `POST`, `HEAD`… */
  method: string;
  /** The path without the query string (`/v1/messages`). */
  path: string;
  /** The path with its query string, as sent (`/v1/messages?beta=true`). */
  url: string;
  /** Query parameters (the last value wins when a name repeats). */
  query: Record<string, string>;
  /** Request headers, names in lower case. */
  headers: IncomingHttpHeaders;
  /** The body as text (empty when there was none). */
  rawBody: string;
  /** The body parsed as JSON, or `undefined` when it was empty or not JSON. */
  body: unknown;
  /** `Date.now()` when the request's body had been read. */
  receivedAt: number;
}

/** What a fake server's handler gets besides the request and the response. */
export interface FakeRequestContext {
  /** Aborted when the client goes away before the response is finished. */
  signal: AbortSignal;
  /** Waits `ms` milliseconds; resolves `false` early when the client has gone away. */
  sleep(ms: number): Promise<boolean>;
}

/**
 * Answers one request. Whatever it does not finish itself is left open (a handler that never
 * answers simulates a hung server); a handler that throws gets a 500 with the error message.
 */
export type FakeRequestHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  context: FakeRequestContext,
) => void | Promise<void>;

/** Options of {@link startFakeHttpServer}. */
export interface FakeHttpServerOptions {
  /** Decides every reply. */
  handle: FakeRequestHandler;
  /** Interface to bind; loopback unless a test says otherwise. */
  host?: string;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number;
}

/** A running fake HTTP server. */
export interface FakeHttpServer {
  /** Base URL without a trailing slash (`http://127.0.0.1:PORT`). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Every request received so far, in arrival order (live array). */
  readonly requests: RecordedRequest[];
  /** Resolves once at least `count` requests matching `filter` have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, options?: { filter?: (request: RecordedRequest) => boolean; timeoutMs?: number }): Promise<RecordedRequest[]>;
  /** Stops listening and destroys every open connection (hung replies included). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on loopback whose every request is recorded (method, path, query,
 * headers, raw and JSON-parsed body) before `handle` decides the reply. This is the common base of
 * the fake model API servers (Anthropic Messages, OpenAI Responses, Gemini): each provider module
 * supplies only its routes and reply encoders, and uses {@link SseWriter}, {@link sendJson} and the
 * context's `sleep`/`signal` for streaming, delays, dropped connections and hangs.
 *
 * @example
 * ```ts
 * const server = await startFakeHttpServer({
 *   handle(request, response) {
 *     if (request.method === "POST" && request.path === "/v1/echo") sendJson(response, 200, request.body);
 *     else sendJson(response, 404, { error: "not found" });
 *   },
 * });
 * await fetch(`${server.url}/v1/echo`, { method: "POST", body: "{\"a\":1}" });
 * server.requests[0]?.body; // { a: 1 }
 * await server.close();
 * ```
 */
export async function startFakeHttpServer(options: FakeHttpServerOptions): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let closed: Promise<void> | undefined;

  const server = createServer((incoming, response) => {
    void serve(incoming, response);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const controller = new AbortController();
    // The response closing before it finished means the client hung up (or we dropped it).
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    let request: RecordedRequest;
    try {
      request = await readRequest(incoming, requests.length);
    } catch (_error) {
      response.destroy();
      return;
    }
    requests.push(request);
    for (const wake of [...waiters]) wake();
    const context: FakeRequestContext = {
      signal: controller.signal,
      sleep: (ms) => abortableSleep(ms, controller.signal),
    };
    try {
      await options.handle(request, response, context);
    } catch (error) {
      if (!response.headersSent && !response.destroyed) {
        sendJson(response, 500, { error: { type: "fake_server_error", message: error instanceof Error ? error.message : String(error) } });
      } else {
        response.destroy();
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    waitForRequests(count, waitOptions = {}) {
      const filter = waitOptions.filter ?? (() => true);
      const timeoutMs = waitOptions.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const matching = requests.filter(filter);
          if (matching.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(matching);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new AsmError("timeout", `fake server: fewer than ${count} matching requests after ${timeoutMs} ms (got ${requests.filter(filter).length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const wake of [...waiters]) waiters.delete(wake);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function readRequest(incoming: IncomingMessage, index: number): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString("utf8");
  const url = incoming.url ?? "/";
  const parsed = new URL(url, "http://fake.invalid");
  return {
    index,
    method: incoming.method ?? "GET",
    path: parsed.pathname,
    url,
    query: Object.fromEntries(parsed.searchParams.entries()),
    headers: incoming.headers,
    rawBody,
    body: parseJson(rawBody),
    receivedAt: Date.now(),
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (_error) {
    return undefined;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Sends a complete JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Writes a `text/event-stream` response one event at a time, optionally pausing between events.
 * Each write is flushed at once (no buffering), so clients see events as they are written.
 */
export class SseWriter {
  private started = false;

  /**
   * @param response the response to write to.
   * @param context the request's context; pauses end early when the client hangs up.
   * @param chunkDelayMs pause before every event after the first.
   */
  constructor(
    private readonly response: ServerResponse,
    private readonly context: FakeRequestContext,
    private readonly chunkDelayMs = 0,
  ) {}

  /** True while the client is still connected. */
  get open(): boolean {
    return !this.context.signal.aborted && !this.response.destroyed;
  }

  /** Sends the status line and headers (done by the first `event` call if not called). */
  begin(status = 200, headers: Record<string, string> = {}): void {
    if (this.started) return;
    this.started = true;
    this.response.writeHead(status, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...headers,
    });
    this.response.flushHeaders();
  }

  /**
   * Writes one event: `event: <name>` (when a name is given) and `data: <JSON>`. Returns false when
   * the client has gone away, so loops can stop.
   */
  async event(name: string | undefined, data: unknown): Promise<boolean> {
    if (this.started && this.chunkDelayMs > 0) {
      if (!(await this.context.sleep(this.chunkDelayMs))) return false;
    }
    this.begin();
    if (!this.open) return false;
    const payload = typeof data === "string" ? data : JSON.stringify(data);
    const text = `${name === undefined ? "" : `event: ${name}\n`}data: ${payload}\n\n`;
    // Waiting for the write to reach the socket keeps a later `drop()` from discarding it.
    await new Promise<void>((resolve) => this.response.write(text, () => resolve()));
    return this.open;
  }

  /** Finishes the response normally. */
  end(): void {
    this.begin();
    if (!this.response.destroyed) this.response.end();
  }

  /** Cuts the connection without finishing the response (a dropped stream). */
  drop(): void {
    this.begin();
    this.response.socket?.destroy();
    this.response.destroy();
  }
}
