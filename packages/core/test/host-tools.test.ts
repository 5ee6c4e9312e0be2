import {
  AsmError,
  backendEvent,
  defineTool,
  type AsmEvent,
  type BackendEvent,
  type BackendSession,
  type BackendStartConfig,
  type HostToolsEndpoint,
  type ProviderBackend,
} from "@asm/contract";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createAsm } from "../src/index.js";

// The kernel serves a run's host tools over MCP for exactly the run's lifetime. The backend here
// stands in for a CLI (no CLI is needed to test the kernel's side): it calls the run's MCP server
// over real HTTP on loopback with the endpoint the kernel handed it, and reports what it got.

/** One JSON-RPC `tools/call` to the run's MCP server, as a CLI's MCP client sends it. */
async function callTool(endpoint: HostToolsEndpoint, name: string, args: unknown): Promise<{ isError: boolean; text: string }> {
  const response = await fetch(endpoint.url, {
    method: "POST",
    headers: { authorization: `Bearer ${endpoint.bearerToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
  });
  const body = (await response.json()) as { result: { isError: boolean; content: Array<{ text: string }> } };
  return { isError: body.result.isError, text: body.result.content.map((part) => part.text).join("") };
}

/** A backend whose "agent" calls one host tool and reports the call like a CLI would. */
function mcpClientBackend(call: { name: string; args: unknown }, seen: { endpoint?: HostToolsEndpoint; result?: Promise<unknown> }): ProviderBackend {
  return {
    specificationVersion: "v1",
    name: "mcp-client",
    // eslint-disable-next-line @typescript-eslint/require-await -- the contract's start is async
    async start(config: BackendStartConfig): Promise<BackendSession> {
      const endpoint = config.hostTools;
      if (endpoint === undefined) throw new AsmError("config_invalid", "no host tools endpoint");
      seen.endpoint = endpoint;
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      async function* events(): AsyncIterable<BackendEvent> {
        yield backendEvent("tool_use", { toolName: call.name, toolCallId: "call-1", input: call.args });
        const result = callTool(endpoint as HostToolsEndpoint, call.name, call.args);
        seen.result = result;
        const outcome = await Promise.race([result, stopped.then(() => null)]);
        if (outcome === null) return;
        yield backendEvent("tool_result", { toolCallId: "call-1", content: outcome.text, isError: outcome.isError });
        yield fakeEvents.result(`tool said: ${outcome.text}`);
      }
      return {
        events,
        sendInput: () => Promise.resolve(),
        endInput: () => Promise.resolve(),
        interrupt: () => Promise.resolve(stop()),
        close: () => Promise.resolve(stop()),
        respondToApproval: () => Promise.resolve(),
        info: () => ({ runtime: "mcp-client", session: {}, observability: {} }) as unknown as ReturnType<BackendSession["info"]>,
      };
    },
  };
}

const add = defineTool({ name: "add", description: "Adds", inputSchema: z.object({ a: z.number(), b: z.number() }), call: ({ a, b }) => a + b });

function collect(stream: AsyncIterable<AsmEvent>): Promise<AsmEvent[]> {
  return (async () => {
    const events: AsmEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  })();
}

describe("host tools in the kernel", () => {
  it("serves the runtime's tools to the run, reports the call as an mcp tool, and closes the listener with the run", async () => {
    const seen: { endpoint?: HostToolsEndpoint } = {};
    const asm = createAsm({ providers: [fakeProvider([])], tools: [add] });
    const session = await asm.startSession({ provider: "fake", backend: mcpClientBackend({ name: "add", args: { a: 2, b: 3 } }, seen) });
    const events = await collect(session.stream("add"));
    const use = events.find((event) => event.kind === "tool_use");
    const result = events.find((event) => event.kind === "tool_result");
    expect(use?.payload).toMatchObject({ toolName: "add", toolKind: "mcp" });
    expect(result?.payload).toMatchObject({ toolName: "add", toolKind: "mcp", content: "5", isError: false });
    expect(events.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    // The token never reaches an event; the listener is gone once the run is.
    expect(JSON.stringify(events)).not.toContain(seen.endpoint?.bearerToken);
    await expect(fetch(seen.endpoint?.url as string, { method: "POST" })).rejects.toThrow();
    await asm.dispose();
  });

  it("answers an unknown tool and a schema-failing input with error results, and the run goes on", async () => {
    const asm = createAsm({ providers: [fakeProvider([])], tools: [add] });
    for (const call of [
      { name: "subtract", args: {}, message: "Unknown tool: subtract" },
      { name: "add", args: { a: "two" }, message: "Invalid input for add" },
    ]) {
      const session = await asm.startSession({ provider: "fake", backend: mcpClientBackend(call, {}) });
      const events = await collect(session.stream("call"));
      const result = events.find((event) => event.kind === "tool_result");
      expect(result?.payload).toMatchObject({ isError: true });
      expect(String(result?.payload.content)).toContain(call.message);
      expect(events.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    }
    await asm.dispose();
  });

  it("aborts a tool that hangs past the run's interrupt, and leaves no listener", async () => {
    let toolSignal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const hang = defineTool({
      name: "hang",
      description: "Never answers",
      inputSchema: z.object({}),
      call: (_input, context) => {
        toolSignal = context.signal;
        started();
        return new Promise(() => undefined);
      },
    });
    const seen: { endpoint?: HostToolsEndpoint; result?: Promise<unknown> } = {};
    const asm = createAsm({ providers: [fakeProvider([])] });
    const session = await asm.startSession({ provider: "fake", hostTools: [hang], backend: mcpClientBackend({ name: "hang", args: {} }, seen) });
    const stream = session.stream("hang");
    const events = collect(stream);
    await running;
    await asm.interrupt(stream.runId);
    const all = await events;
    expect(all.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "interrupted" } });
    expect(toolSignal?.aborted).toBe(true);
    // The call in flight was answered (an error result) or dropped; either way nothing waits on it.
    await seen.result?.catch(() => undefined);
    await expect(fetch(seen.endpoint?.url as string, { method: "POST" })).rejects.toThrow();
    await asm.dispose();
  });

  it("names the CLI's call of a host tool by the host's name, so allow-lists use it", async () => {
    // A provider whose CLI calls MCP tools `mcp__<server>__<tool>`, as Claude Code does.
    const base = fakeProvider([]);
    const provider = { ...base, profile: { specificationVersion: "v1", id: "fake", hostTools: { toolName: (server: string, tool: string) => `mcp__${server}__${tool}` } } } as unknown as typeof base;
    const asm = createAsm({ providers: [provider], tools: [add] });
    const allowed = await asm.startSession({ provider: "fake", allowedTools: ["add"], backend: mcpClientBackend({ name: "mcp__asm__add", args: { a: 2, b: 3 } }, {}) });
    const events = await collect(allowed.stream("add"));
    expect(events.find((event) => event.kind === "tool_use")?.payload).toMatchObject({ toolName: "add", toolKind: "mcp", nativeToolName: "mcp__asm__add" });
    expect(events.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    const blocked = await asm.startSession({ provider: "fake", allowedTools: ["Read"], backend: mcpClientBackend({ name: "mcp__asm__add", args: { a: 2, b: 3 } }, {}) });
    const refused = await collect(blocked.stream("add"));
    expect(refused.find((event) => event.kind === "error")?.payload).toMatchObject({ code: "guardrail_blocked" });
    expect(JSON.stringify(refused.find((event) => event.kind === "error")?.payload)).toContain('"add"');
    await asm.dispose();
  });

  it("fails closed when a run cannot take host tools, and refuses malformed tools at once", async () => {
    const asm = createAsm({ providers: [fakeProvider([{ emit: fakeEvents.result("OK") }])], tools: [add] });
    // The fake provider has no CLI profile: its core lane cannot hand MCP servers to anything.
    await expect(asm.query("fake", "hi")).rejects.toMatchObject({ code: "config_invalid", details: { key: "hostTools" } });
    await expect(asm.startSession({ provider: "fake", hostTools: [{ name: "bad name" }] as never })).rejects.toMatchObject({
      code: "config_invalid",
      details: { key: "hostTools" },
    });
    expect(() => createAsm({ providers: [fakeProvider([])], tools: [{ ...add, inputSchema: z.string() }] })).toThrow(
      expect.objectContaining({ code: "config_invalid", details: expect.objectContaining({ key: "tools" }) }),
    );
    await asm.dispose();
  });
});
