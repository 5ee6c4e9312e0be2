import type { AsmEvent } from "@asm/contract";
import { createAsm, type EventStore } from "@asm/core";
import { fakeEvents, fakeProvider, type FakeScript } from "@asm/testkit";
import { backendEvent } from "@asm/contract";
import { generateText, streamText, type ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { createAsmProvider } from "./asm-provider.js";

function setup(script: FakeScript) {
  const provider = fakeProvider(script);
  const events: AsmEvent[] = [];
  const store: EventStore = { append: (event) => Promise.resolve(void events.push(event)), list: () => Promise.resolve([]), reset: () => Promise.resolve() };
  const asm = createAsm({ providers: [provider], config: { store } });
  return { asm, backend: provider.backend, events, model: createAsmProvider(asm)("fake", { model: "fake-model" }) };
}

const agentScript = [
  { emit: fakeEvents.started("thread-7") },
  { emit: backendEvent("thinking", { content: "Listing files first." }) },
  { emit: fakeEvents.toolUse("Bash", { command: "ls" }, "call-1") },
  { emit: fakeEvents.toolResult("call-1", "README.md") },
  { emit: fakeEvents.delta("There is ") },
  { emit: fakeEvents.delta("one file.") },
  { emit: fakeEvents.message("There is one file.") },
  { emit: fakeEvents.result("There is one file.", { usage: { inputTokens: 20, outputTokens: 6 } }) },
];

const until = async (predicate: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("the real ai package on an ASM model", () => {
  it("generateText: text, reasoning, provider-executed tool parts, usage, finish reason, session id", async () => {
    const { model, backend } = setup(agentScript);
    const result = await generateText({ model, prompt: "How many files?" });
    expect(result.text).toBe("There is one file.");
    expect(result.reasoningText).toBe("Listing files first.");
    expect(result.toolCalls).toEqual([expect.objectContaining({ toolCallId: "call-1", toolName: "Bash", input: { command: "ls" }, providerExecuted: true })]);
    expect(result.toolResults).toEqual([expect.objectContaining({ toolCallId: "call-1", output: "README.md" })]);
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toMatchObject({ inputTokens: 20, outputTokens: 6 });
    expect(result.providerMetadata?.asm).toMatchObject({ providerSessionId: "thread-7" });
    expect(backend.record.starts[0]?.prompt).toBe("How many files?");
  });

  it("a follow-up with the response messages continues the same provider session", async () => {
    const { model, backend } = setup(agentScript);
    const first = await generateText({ model, prompt: "How many files?" });
    const messages: ModelMessage[] = [{ role: "user", content: "How many files?" }, ...first.response.messages, { role: "user", content: "And now?" }];
    await generateText({ model, messages });
    expect(backend.record.starts[1]?.prompt).toBe("And now?");
    expect(backend.record.starts[1]?.continuation).toEqual({ strategy: "exact", providerSessionId: "thread-7" });
  });

  it("streamText: streamed text deltas, reasoning, tool parts, finish", async () => {
    const { model } = setup(agentScript);
    const result = streamText({ model, prompt: "How many files?" });
    const deltas: string[] = [];
    const kinds = new Set<string>();
    for await (const part of result.fullStream) {
      kinds.add(part.type);
      if (part.type === "text-delta") deltas.push(part.text);
    }
    expect(deltas).toEqual(["There is ", "one file."]);
    expect([...kinds]).toEqual(expect.arrayContaining(["reasoning-delta", "tool-call", "tool-result", "finish"]));
    expect(await result.text).toBe("There is one file.");
    expect(await result.finishReason).toBe("stop");
    expect((await result.providerMetadata)?.asm).toMatchObject({ providerSessionId: "thread-7" });
  });

  it("abortSignal interrupts the run: one terminal event, the backend closed", async () => {
    const { model, backend, events } = setup([{ emit: fakeEvents.delta("working") }, { hang: true }]);
    const controller = new AbortController();
    const result = streamText({ model, prompt: "long task", abortSignal: controller.signal });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const part of result.fullStream) {
        seen.push(part.type);
        if (part.type === "text-delta") controller.abort();
      }
    })().catch((e: unknown) => e);
    await reading;
    await until(() => backend.record.closes.length === 1);
    const runId = backend.record.starts[0]!.runId;
    expect(backend.record.interrupts).toEqual([runId]);
    await until(() => events.some((event) => event.kind === "run_completed"));
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
  });

  it("a failed run rejects generateText with the run's AsmError", async () => {
    const { model } = setup([{ emit: fakeEvents.error("auth_error", "invalid api key") }]);
    await expect(generateText({ model, prompt: "hi", maxRetries: 0 })).rejects.toMatchObject({ code: "auth_error" });
  });

  it("refuses sampling settings and client tools as unsupported", async () => {
    const { model, backend } = setup(agentScript);
    await expect(generateText({ model, prompt: "hi", temperature: 0.3, maxRetries: 0 })).rejects.toMatchObject({ code: "unsupported", details: { key: "temperature" } });
    expect(backend.record.starts).toHaveLength(0);
  });
});
