import { dirname, join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { client, methods, ndJsonStream, PROTOCOL_VERSION, type SessionNotification } from "@agentclientprotocol/sdk";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("asm acp", () => {
  it("serves the real ACP client over stdio and runs the provider's CLI for a prompt", async () => {
    // The fake CLI replays a recorded Claude Code session; the core lane hands it this environment.
    for (const [key, value] of Object.entries(fakeCliEnv({ mode: "replay", transcript: DEMO_TRANSCRIPT, version: "2.1.329" }))) vi.stubEnv(key, value);
    const toAgent = new PassThrough();
    const toEditor = new PassThrough();
    const io = { ...captureIo(), stdin: toAgent, stdout: toEditor };
    const exit = main(["acp", "--provider", "claude", "--cli-path", fakeCliPath()], io);
    const updates: SessionNotification[] = [];
    const editor = client({ name: "test-editor" })
      .onNotification(methods.client.session.update, ({ params }) => {
        updates.push(params);
      })
      .onRequest(methods.client.session.requestPermission, () => ({ outcome: { outcome: "selected" as const, optionId: "allow" } }));
    const stopReason = await editor.connectWith(
      ndJsonStream(Writable.toWeb(toAgent) as WritableStream<Uint8Array>, Readable.toWeb(toEditor) as ReadableStream<Uint8Array>),
      async (agent) => {
        const init = await agent.request(methods.agent.initialize, { protocolVersion: PROTOCOL_VERSION, clientCapabilities: {} });
        expect(init.agentInfo?.name).toBe("asm-claude");
        const { sessionId } = await agent.request(methods.agent.session.new, { cwd: process.cwd(), mcpServers: [] });
        const response = await agent.request(methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: "Run echo in the shell" }] });
        return response.stopReason;
      },
    );
    expect(stopReason).toBe("end_turn");
    const kinds = updates.map((note) => note.update.sessionUpdate);
    expect(kinds).toContain("tool_call");
    const text = updates.flatMap((note) => (note.update.sessionUpdate === "agent_message_chunk" && note.update.content.type === "text" ? [note.update.content.text] : [])).join("");
    expect(text).toMatch(/hello from a real tool call/);
    toAgent.end();
    expect(await exit).toBe(0);
  });
});
