import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HostToolsEndpoint } from "@asm/contract";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { CheckedHostTool } from "./host-tool-list.js";
import { executeHostTool } from "./tool-executor.js";

/** The MCP server name the CLIs register a run's host tools under. */
export const HOST_TOOLS_SERVER_NAME = "asm";

/** The variable the core lane sets to the run's bearer token (for CLIs that read it from the environment). */
export const HOST_TOOLS_TOKEN_ENV = "ASM_HOST_TOOLS_TOKEN";

/** The path the server answers on. */
const MCP_PATH = "/mcp";

/** Largest request body accepted (a tool call's arguments). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of {@link startHostToolServer}. */
export interface HostToolServerOptions {
  /** The run's tools, as {@link checkHostTools} returned them. */
  tools: ReadonlyMap<string, CheckedHostTool>;
  runId: string;
  sessionId: string;
  provider: string;
  /** The run's signal: aborting it aborts every call in flight (their `context.signal`). */
  signal: AbortSignal;
  /** Results whose text is JSON but not an object also carry `structuredContent` (see `HostToolsSupport`). */
  structuredJsonText?: boolean;
  /** The bearer token (default: 32 random bytes, hex); given when the caller must know it first, to redact it. */
  token?: string;
}

/** A run's MCP server. */
export interface HostToolServer {
  /** Where the CLI reaches it (URL, server name, bearer token). */
  readonly endpoint: HostToolsEndpoint;
  /** Stops listening, drops every connection and aborts calls in flight. Idempotent. */
  close(): Promise<void>;
}

function bearerOk(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined || !header.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice("Bearer ".length).trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
}

/**
 * Gemini CLI turns a result's first text into `structuredContent` when it parses as JSON, and
 * then rejects the result when that JSON is not an object (a tool answering `5`). For such a
 * CLI, the result carries its own `structuredContent` (`{ result: <the value> }`), which it keeps.
 * Other CLIs get text only: Claude Code shows `structuredContent` instead of the text when given.
 */
function structuredFallback(text: string | undefined): { structuredContent?: Record<string, unknown> } {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? {} : { structuredContent: { result: parsed } };
}

/** One MCP protocol server per HTTP request (stateless streamable HTTP: no session to keep). */
function protocolServer(options: HostToolServerOptions): Server {
  const server = new Server({ name: "asm-host-tools", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...options.tools.values()].map(({ tool, jsonSchema }) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: jsonSchema as { type: "object" } & Record<string, unknown>,
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    // The call stops when the run ends or the CLI cancels the request, whichever comes first.
    const signal = AbortSignal.any([options.signal, extra.signal]);
    const result = await executeHostTool(options.tools, request.params.name, request.params.arguments, {
      runId: options.runId,
      sessionId: options.sessionId,
      provider: options.provider,
      signal,
    });
    return { content: result.content, isError: result.isError, ...(options.structuredJsonText === true ? structuredFallback(result.content[0]?.text) : {}) };
  });
  return server;
}

/**
 * Starts a run's MCP server on `127.0.0.1` (a random port), serving the run's host tools over
 * streamable HTTP (stateless, JSON responses). Every request must carry
 * `Authorization: Bearer <token>` with the run's own random token and a loopback `Host`;
 * anything else is refused with 401 (403 for a foreign host) before MCP sees it.
 */
export async function startHostToolServer(options: HostToolServerOptions): Promise<HostToolServer> {
  const token = options.token ?? randomBytes(32).toString("hex");
  const expected = Buffer.from(token);
  const calls = new AbortController();
  const signal = AbortSignal.any([options.signal, calls.signal]);
  const serving: HostToolServerOptions = { ...options, signal };
  let port = 0;

  const http = createServer((req, res) => {
    void (async () => {
      const host = req.headers.host ?? "";
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(res, 403, "forbidden host");
      if (!bearerOk(req.headers.authorization, expected)) return refuse(res, 401, "unauthorized", { "www-authenticate": "Bearer" });
      if ((req.url ?? "").split("?")[0] !== MCP_PATH) return refuse(res, 404, "not found");
      // Stateless: no server-to-client stream (GET) and no session to end (DELETE).
      if (req.method !== "POST") return refuse(res, 405, "method not allowed", { allow: "POST" });
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
        return refuse(res, 400, `bad request: ${error instanceof Error ? error.message : String(error)}`);
      }
      const server = protocolServer(serving);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => refuse(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`));
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    endpoint: {
      serverName: HOST_TOOLS_SERVER_NAME,
      url: `http://127.0.0.1:${port}${MCP_PATH}`,
      bearerToken: token,
      bearerTokenEnv: HOST_TOOLS_TOKEN_ENV,
      toolNames: [...options.tools.keys()],
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        calls.abort(new Error("the run ended"));
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return closing;
    },
  };
}
