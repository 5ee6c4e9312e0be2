import { fakeEvents } from "@asm/testkit";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { endpointFixture } from "./__fixtures__/endpoint-fixture.js";

type Fixture = Awaited<ReturnType<typeof endpointFixture>>;
let fixture: Fixture | undefined;
async function setup(...args: Parameters<typeof endpointFixture>): Promise<Fixture> {
  fixture = await endpointFixture(...args);
  return fixture;
}
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const helloScript = [
  { emit: fakeEvents.started("thread-1") },
  { emit: fakeEvents.delta("Hello") },
  { emit: fakeEvents.delta(" world") },
  { emit: fakeEvents.result("Hello world", { usage: { inputTokens: 12, outputTokens: 3 } }) },
];

const until = async (predicate: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("chat completions through the real openai client", () => {
  it("answers a plain request with one chat.completion", async () => {
    const { client, backend } = await setup(helloScript);
    const completion = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "Say hello" }] });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: "Hello world" });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(backend.record.starts[0]?.prompt).toBe("Say hello");
    expect(backend.record.starts[0]?.providerOptions).toMatchObject({ model: "fake-model" });
  });

  it("streams one chunk per delta, a finish chunk, usage when asked, then [DONE]", async () => {
    const { client } = await setup(helloScript);
    const stream = await client.chat.completions.create({
      model: "fake-model",
      messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Say hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello world");
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).map((chunk) => chunk.choices[0]?.delta.content)).toEqual(["Hello", " world"]);
    const finish = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual(["stop"]);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
  });

  it("streams a whole message's text when the provider sends no deltas for it, never twice", async () => {
    const { client } = await setup([
      { emit: fakeEvents.message("First. ") },
      { emit: fakeEvents.delta("Sec") },
      { emit: fakeEvents.delta("ond.") },
      { emit: fakeEvents.message("Second.") },
      { emit: fakeEvents.result("First. Second.") },
    ]);
    const stream = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }], stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) texts.push(chunk.choices[0].delta.content);
    expect(texts).toEqual(["First. ", "Sec", "ond."]);
  });

  it("sends a transcript as role lines", async () => {
    const { client, backend } = await setup(helloScript);
    await client.chat.completions.create({ messages: [{ role: "system", content: "Be brief" }, { role: "user", content: [{ type: "text", text: "Say hello" }] }], model: "fake-model" });
    expect(backend.record.starts[0]?.prompt).toBe("system: Be brief\nuser: Say hello");
  });

  it("lists the leased model and answers health", async () => {
    const { client, lease } = await setup(helloScript);
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(["fake-model"]);
    const health = await fetch(lease.descriptor.healthRef, { headers: lease.descriptor.headers });
    expect(await health.json()).toEqual({ status: "ok", endpoint_id: lease.descriptor.endpointId, lease_ref: lease.descriptor.leaseRef, provider: "fake" });
  });

  it("continues a conversation named by the conversation header on one provider session", async () => {
    const { client, backend } = await setup(helloScript);
    const headers = { "x-asm-conversation-id": "conv-1" };
    await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "first" }] }, { headers });
    await client.chat.completions.create(
      { model: "fake-model", messages: [{ role: "user", content: "first" }, { role: "assistant", content: "Hello world" }, { role: "user", content: "second" }] },
      { headers },
    );
    expect(backend.record.starts.map((start) => start.prompt)).toEqual(["first", "second"]);
    expect(backend.record.starts[1]?.continuation).toEqual({ strategy: "exact", providerSessionId: "thread-1" });
    expect(backend.record.starts[0]?.sessionId).toBe(backend.record.starts[1]?.sessionId);
  });
});

describe("refusals in OpenAI's error shape with ASM's codes", () => {
  it("401 without a token and with a wrong one", async () => {
    const { lease, backend } = await setup(helloScript);
    const client = new OpenAI({ baseURL: lease.descriptor.baseUrl, apiKey: "wrong-token-wrong-token", maxRetries: 0 });
    const error = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("auth_error");
    // The client refuses to send no key at all: a bare request stands in for one that omits it.
    const bare = await fetch(`${lease.descriptor.baseUrl}/chat/completions`, { method: "POST", body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }) });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: "auth_error", type: "authentication_error" });
    expect(backend.record.starts).toHaveLength(0);
  });

  it("404 after release", async () => {
    const { client, server, lease } = await setup(helloScript);
    await server.releaseEndpoint(lease.descriptor);
    const error = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("400 for tools, a model mismatch, an unsupported field, bad messages", async () => {
    const { client, backend } = await setup(helloScript);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ tools: [{ type: "function", function: { name: "f", parameters: {} } }] }, "unsupported", "tools"],
      [{ tool_choice: "required" }, "unsupported", "tools"],
      [{ model: "other-model" }, "config_invalid", "model"],
      [{ temperature: 0.2 }, "unsupported", "temperature"],
      [{ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }, "unsupported", "messages[0].content[0]"],
      [{ messages: [] }, "config_invalid", "messages"],
    ];
    for (const [override, code, param] of cases) {
      const body = { model: "fake-model", messages: [{ role: "user", content: "hi" }], ...override } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
      const error = await client.chat.completions.create(body).catch((e: unknown) => e);
      expect(error, JSON.stringify(override)).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe(code);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    }
    expect(backend.record.starts).toHaveLength(0);
  });

  it("400 for invalid JSON, 413 for a body over the limit, 431 for headers over it, 404 for an unknown route", async () => {
    const { lease } = await setup(helloScript, { maxBodyBytes: 1024 });
    const url = `${lease.descriptor.baseUrl}/chat/completions`;
    const headers = { ...lease.descriptor.headers, "content-type": "application/json" };
    const invalid = await fetch(url, { method: "POST", headers, body: "{not json" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: { message: "the request body is not valid JSON", type: "invalid_request_error", code: "config_invalid", param: "body" } });
    const large = await fetch(url, { method: "POST", headers, body: JSON.stringify({ messages: [{ role: "user", content: "x".repeat(4096) }] }) });
    expect(large.status).toBe(413);
    const hugeHeader = await fetch(url, { method: "POST", headers: { ...headers, "x-padding": "x".repeat(20_000) }, body: "{}" });
    expect(hugeHeader.status).toBe(431);
    const unknown = await fetch(lease.descriptor.baseUrl.replace("/v1", "/v2/x"), { headers });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("429 when every request slot is taken", async () => {
    const { client, backend } = await setup([{ emit: fakeEvents.delta("a") }, { hang: true }], { maxConcurrentRequests: 1 });
    const controller = new AbortController();
    const first = client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hang" }] }, { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => backend.record.starts.length === 1);
    const error = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "second" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("at_capacity");
    controller.abort();
    await first;
  });

  it("leaks no token in any response, success or failure", async () => {
    const { client, lease, seen } = await setup(helloScript);
    await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }] });
    await client.chat.completions.create({ model: "other", messages: [{ role: "user", content: "hi" }] }).catch(() => undefined);
    await client.models.list();
    await until(() => seen.bodies.length >= 3);
    for (const body of seen.bodies) expect(body).not.toContain(lease.token);
  });
});

describe("run lifecycle through the endpoint", () => {
  it("a client abort mid-stream interrupts the run: one terminal event, backend closed", async () => {
    const { client, backend, store } = await setup([{ emit: fakeEvents.delta("partial") }, { hang: true }]);
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "long task" }], stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) {
        seen.push(chunk.choices[0]?.delta.content ?? "");
        if (seen.includes("partial")) controller.abort();
      }
    })().catch((e: unknown) => e);
    await reading;
    expect(seen).toContain("partial");
    await until(() => backend.record.closes.length === 1);
    const runId = backend.record.starts[0]!.runId;
    expect(backend.record.interrupts).toEqual([runId]);
    await until(() => store.events.some((event) => event.kind === "run_completed"));
    const terminal = store.events.filter((event) => event.runId === runId && event.kind === "run_completed");
    expect(terminal).toHaveLength(1);
    expect(terminal[0]?.payload).toMatchObject({ status: "interrupted" });
  });

  it("a run error after the headers ends the stream with an error chunk", async () => {
    const { client } = await setup([{ emit: fakeEvents.delta("par") }, { emit: fakeEvents.error("rate_limit", "provider throttled") }]);
    const stream = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }], stream: true });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    expect(texts.join("")).toBe("par");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toContain("provider throttled");
  });

  it("a failed run answers a plain request with the run's code and status", async () => {
    const { client } = await setup([{ emit: fakeEvents.error("runtime", "agent failed") }]);
    const error = await client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).code).toBe("runtime");
  });

  it("close() interrupts a run in flight and stops conversation sessions", async () => {
    const { client, backend, server, store } = await setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const pending = client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: "x" }] }, { headers: { "x-asm-conversation-id": "c" } }).catch((e: unknown) => e);
    await until(() => backend.record.starts.length === 1);
    await server.close();
    await pending;
    await until(() => store.events.some((event) => event.kind === "run_completed"));
    expect(store.events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(backend.record.closes).toHaveLength(1);
  });
});
