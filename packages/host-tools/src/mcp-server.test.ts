import { request } from "node:http";
import { defineTool, type AnyHostTool } from "@asm/contract";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { checkHostTools } from "./host-tool-list.js";
import { startHostToolServer, type HostToolServer } from "./mcp-server.js";

const add = defineTool({
  name: "add",
  description: "Adds two numbers",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  call: ({ a, b }) => String(a + b),
});

const open: HostToolServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function serve(tools: AnyHostTool[] = [add], signal = new AbortController().signal): Promise<HostToolServer> {
  const server = await startHostToolServer({ tools: checkHostTools(tools, "tools"), runId: "run-1", sessionId: "session-1", provider: "claude", signal });
  open.push(server);
  return server;
}

async function connect(server: HostToolServer, token = server.endpoint.bearerToken): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.endpoint.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** A raw POST, to see exactly what the listener answers. */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

describe("startHostToolServer", () => {
  it("serves the run's tools to an MCP client on loopback", async () => {
    const server = await serve();
    expect(server.endpoint).toMatchObject({ serverName: "asm", toolNames: ["add"], bearerTokenEnv: "ASM_HOST_TOOLS_TOKEN" });
    expect(server.endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(server);
    const { tools } = await client.listTools();
    expect(tools).toEqual([expect.objectContaining({ name: "add", description: "Adds two numbers", inputSchema: expect.objectContaining({ type: "object", required: ["a", "b"] }) })]);
    await expect(client.callTool({ name: "add", arguments: { a: 2, b: 3 } })).resolves.toMatchObject({ content: [{ type: "text", text: "5" }], isError: false });
    await expect(client.callTool({ name: "nope", arguments: {} })).resolves.toMatchObject({ isError: true });
    await client.close();
  });

  it("refuses a request without the run's token, or with another token", async () => {
    const server = await serve();
    const other = await serve();
    const missing = await post(server.endpoint.url, {}, listTools);
    expect(missing.status).toBe(401);
    expect(missing.body).not.toContain("add");
    const wrong = await post(server.endpoint.url, { authorization: `Bearer ${other.endpoint.bearerToken}` }, listTools);
    expect(wrong.status).toBe(401);
    const notBearer = await post(server.endpoint.url, { authorization: server.endpoint.bearerToken }, listTools);
    expect(notBearer.status).toBe(401);
    await expect(connect(server, other.endpoint.bearerToken)).rejects.toThrow();
    // The right token on the same listener is answered.
    const right = await post(server.endpoint.url, { authorization: `Bearer ${server.endpoint.bearerToken}` }, listTools);
    expect(right.status).toBe(200);
    expect(right.body).toContain('"add"');
  });

  it("refuses a foreign Host header (DNS rebinding) even with the token", async () => {
    const server = await serve();
    const rebound = await post(server.endpoint.url, { authorization: `Bearer ${server.endpoint.bearerToken}`, host: "evil.example:80" }, listTools);
    expect(rebound.status).toBe(403);
  });

  it("aborts a call in flight when the run's signal aborts", async () => {
    const run = new AbortController();
    let seen: AbortSignal | undefined;
    const hang = defineTool({
      name: "hang",
      description: "",
      inputSchema: z.object({}),
      call: (_input, context) => {
        seen = context.signal;
        setTimeout(() => run.abort(new Error("Run interrupted")), 0);
        return new Promise(() => undefined);
      },
    });
    const server = await serve([hang], run.signal);
    const client = await connect(server);
    await expect(client.callTool({ name: "hang", arguments: {} })).resolves.toMatchObject({ isError: true, content: [{ text: "Tool hang was aborted: Run interrupted" }] });
    expect(seen?.aborted).toBe(true);
    await client.close();
  });

  it("leaves no listener once closed, even with a call in flight", async () => {
    let seen: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const hang = defineTool({
      name: "hang",
      description: "",
      inputSchema: z.object({}),
      call: (_input, context) => {
        seen = context.signal;
        started();
        return new Promise(() => undefined);
      },
    });
    const server = await serve([hang]);
    const client = await connect(server);
    const call = client.callTool({ name: "hang", arguments: {} }).catch((error: unknown) => error);
    await running;
    await server.close();
    expect(seen?.aborted).toBe(true);
    await call;
    await expect(post(server.endpoint.url, { authorization: `Bearer ${server.endpoint.bearerToken}` }, listTools)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await client.close().catch(() => undefined);
  });
});
