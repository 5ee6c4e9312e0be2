import { methods, PROTOCOL_VERSION } from "@agentclientprotocol/sdk";
import { backendEvent, type AsmEvent } from "@asm/contract";
import { createAsm, MemoryStore } from "@asm/core";
import { fakeEvents, fakeProvider, type FakeScript } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { acpClient, stdioPair } from "./__fixtures__/acp-client.js";
import { serveAcp } from "./acp-agent.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(script: FakeScript, withStore = false) {
  const provider = fakeProvider(script);
  const store = new MemoryStore();
  const events: AsmEvent[] = [];
  const recording = { append: (event: AsmEvent) => (events.push(event), store.append(event)), list: (id: string) => store.list(id), reset: (id: string) => store.reset(id) };
  const asm = createAsm({ providers: [provider], config: { store: recording } });
  const pipes = stdioPair();
  const agentConnection = serveAcp({ asm, provider: "fake", input: pipes.agentInput, output: pipes.agentOutput, ...(withStore ? { store: recording } : {}) });
  const editor = acpClient(pipes.clientInput, pipes.clientOutput);
  cleanups.push(async () => {
    editor.connection.close();
    agentConnection.close();
    await asm.dispose();
  });
  return { asm, provider, backend: provider.backend, events, editor, pipes, recording };
}

/** A second agent process over the same store: a fresh runtime, agent and editor. */
function reopen(provider: ReturnType<typeof fakeProvider>, store: Parameters<typeof serveAcp>[0]["store"]) {
  const asm = createAsm({ providers: [provider], config: { ...(store ? { store } : {}) } });
  const pipes = stdioPair();
  const agentConnection = serveAcp({ asm, provider: "fake", input: pipes.agentInput, output: pipes.agentOutput, ...(store ? { store } : {}) });
  const editor = acpClient(pipes.clientInput, pipes.clientOutput);
  cleanups.push(async () => {
    editor.connection.close();
    agentConnection.close();
    await asm.dispose();
  });
  return editor;
}

const initialize = (editor: ReturnType<typeof acpClient>) => editor.agent.request(methods.agent.initialize, { protocolVersion: PROTOCOL_VERSION, clientCapabilities: {} });

const until = async (predicate: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("the real ACP client against the ASM agent", () => {
  it("initialize, session/new, session/prompt streaming updates from the run's events", async () => {
    const { editor, backend } = setup([
      { emit: fakeEvents.started("thread-1") },
      { emit: backendEvent("thinking", { content: "Look first." }) },
      { emit: fakeEvents.toolUse("Bash", { command: "ls" }, "call-1") },
      { emit: fakeEvents.toolResult("call-1", "README.md") },
      { emit: fakeEvents.delta("One ") },
      { emit: fakeEvents.delta("file.") },
      { emit: fakeEvents.message("One file.") },
      { emit: fakeEvents.result("One file.") },
    ]);
    const init = await initialize(editor);
    expect(init).toMatchObject({ protocolVersion: PROTOCOL_VERSION, agentCapabilities: { loadSession: false }, agentInfo: { name: "asm-fake" } });
    const { sessionId } = await editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [] });
    const response = await editor.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "How many files?" }] });
    expect(response.stopReason).toBe("end_turn");
    expect(backend.record.starts[0]?.prompt).toBe("How many files?");
    const kinds = editor.updates.map((note) => note.update.sessionUpdate);
    expect(kinds).toEqual(["agent_thought_chunk", "tool_call", "tool_call_update", "agent_message_chunk", "agent_message_chunk"]);
    expect(editor.updates[1]?.update).toMatchObject({ toolCallId: "call-1", title: "Bash", kind: "execute", status: "in_progress", rawInput: { command: "ls" } });
    expect(editor.updates[2]?.update).toMatchObject({ toolCallId: "call-1", status: "completed" });
    expect(editor.updates.every((note) => note.sessionId === sessionId)).toBe(true);
  });

  it("an ASM approval becomes session/request_permission and the editor's answer reaches the agent", async () => {
    const { editor, backend } = setup([
      { approval: { approvalId: "p-1", subject: "Bash", details: { command: "rm -rf build" } }, onAllow: [{ emit: fakeEvents.result("removed") }], onDeny: [{ emit: fakeEvents.result("kept") }] },
    ]);
    await initialize(editor);
    const { sessionId } = await editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [] });
    const response = await editor.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "clean" }] });
    expect(response.stopReason).toBe("end_turn");
    expect(editor.permissions).toHaveLength(1);
    expect(editor.permissions[0]).toMatchObject({ sessionId, toolCall: { title: "Bash", rawInput: { command: "rm -rf build" } } });
    expect(backend.record.approvals).toEqual([expect.objectContaining({ approvalId: "p-1", decision: "allow" })]);
  });

  it("session/cancel interrupts the run: the prompt ends cancelled with one terminal event", async () => {
    const { editor, backend, events } = setup([{ emit: fakeEvents.delta("working") }, { hang: true }]);
    await initialize(editor);
    const { sessionId } = await editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [] });
    const prompting = editor.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "long task" }] });
    await until(() => editor.updates.length > 0);
    await editor.agent.notify(methods.agent.session.cancel, { sessionId });
    expect((await prompting).stopReason).toBe("cancelled");
    expect(backend.record.interrupts).toHaveLength(1);
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
  });

  it("session/load replays the stored session and the next prompt continues its provider session", async () => {
    const { editor, backend, provider, recording } = setup([{ emit: fakeEvents.started("thread-9") }, { emit: fakeEvents.delta("first answer") }, { emit: fakeEvents.result("first answer") }], true);
    expect((await initialize(editor)).agentCapabilities?.loadSession).toBe(true);
    const { sessionId } = await editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [] });
    await editor.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "one" }] });
    // A second editor opens the stored session on a fresh agent and runtime over the same store.
    const second = reopen(provider, recording);
    await initialize(second);
    await second.agent.request(methods.agent.session.load, { sessionId, cwd: "/tmp", mcpServers: [] });
    expect(second.updates.map((note) => note.update)).toEqual([{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: "first answer" } }]);
    await second.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "two" }] });
    expect(backend.record.starts[1]?.continuation).toEqual({ strategy: "exact", providerSessionId: "thread-9" });
    expect(backend.record.starts[1]?.sessionId).toBe(sessionId);
    await expect(second.agent.request(methods.agent.session.load, { sessionId: "never-stored", cwd: "/tmp", mcpServers: [] })).rejects.toThrow();
  });

  it("refuses an unknown session, client MCP servers, and image prompts", async () => {
    const { editor } = setup([{ emit: fakeEvents.result("ok") }]);
    await initialize(editor);
    await expect(editor.agent.request(methods.agent.session.prompt, { sessionId: "nope", prompt: [{ type: "text", text: "x" }] })).rejects.toThrow();
    await expect(editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [{ name: "m", command: "x", args: [], env: [] }] })).rejects.toThrow(/MCP/);
    const { sessionId } = await editor.agent.request(methods.agent.session.new, { cwd: "/tmp", mcpServers: [] });
    await expect(editor.agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "image", data: "AA==", mimeType: "image/png" }] })).rejects.toThrow(/not supported/);
  });
});
