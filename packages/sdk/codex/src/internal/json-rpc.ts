import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { AsmError } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";

/** A request the server sends (an approval), answered with {@link JsonRpcPeer.respond}. */
interface ServerRequest {
  id: string | number;
  method: string;
  params: unknown;
}

/** Handlers for what the server sends unprompted. */
export interface JsonRpcHandlers {
  notification(method: string, params: unknown): void;
  request(request: ServerRequest): void;
  /** A line that is not JSON-RPC. */
  garbage(line: string): void;
}

/** JSON-RPC 2.0 over newline-delimited JSON on a child's stdio (`codex app-server`). */
export class JsonRpcPeer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private closed = false;

  constructor(
    private readonly input: Writable,
    output: Readable,
    private readonly handlers: JsonRpcHandlers,
  ) {
    const lines = createInterface({ input: output });
    lines.on("line", (line) => this.onLine(line));
    lines.on("close", () => this.fail(new AsmError("transport_exit", "codex app-server closed its output")));
  }

  private onLine(line: string): void {
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.handlers.garbage(line);
      return;
    }
    if (!isRecord(message)) {
      this.handlers.garbage(line);
      return;
    }
    const id = message["id"];
    const method = message["method"];
    if (typeof method === "string") {
      if (typeof id === "string" || typeof id === "number") this.handlers.request({ id, method, params: message["params"] });
      else this.handlers.notification(method, message["params"]);
      return;
    }
    if (typeof id === "number") {
      const waiter = this.pending.get(id);
      if (waiter === undefined) return;
      this.pending.delete(id);
      const error = message["error"];
      if (isRecord(error)) waiter.reject(new AsmError("transport_error", `codex app-server: ${typeof error["message"] === "string" ? error["message"] : "request failed"}`));
      else waiter.resolve(message["result"]);
      return;
    }
    this.handlers.garbage(line);
  }

  private write(message: Record<string, unknown>): void {
    if (this.closed) throw new AsmError("transport_error", "codex app-server is gone");
    this.input.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  }

  /** Sends a request and resolves with its result. */
  request(method: string, params: unknown): Promise<unknown> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.write({ id, method, params });
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): void {
    this.write(params === undefined ? { method } : { method, params });
  }

  /** Answers a server request. */
  respond(id: string | number, result: unknown): void {
    this.write({ id, result });
  }

  /** Rejects everything pending (the process ended). */
  fail(error: Error): void {
    this.closed = true;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
