import { afterEach, describe, expect, it } from "vitest";
import { fakeCodexConfigToml } from "./openai-responses-codex-config.js";
import { openAIResponsesReplies } from "./openai-responses-replies.js";
import { startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "./openai-responses.js";

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      const lines = chunk.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "";
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

const servers: FakeOpenAIResponsesServer[] = [];

async function start(...args: Parameters<typeof startFakeOpenAIResponses>): Promise<FakeOpenAIResponsesServer> {
  const server = await startFakeOpenAIResponses(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function post(server: FakeOpenAIResponsesServer, body: unknown, options: { path?: string; signal?: AbortSignal; key?: string } = {}): Promise<Response> {
  return fetch(`${server.url}${options.path ?? "/v1/responses"}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${options.key ?? "dummy"}`, accept: "text/event-stream" },
    body: JSON.stringify(body),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

const userSays = (text: string, extra: Array<Record<string, unknown>> = []) => ({
  model: "gpt-5.5",
  stream: true,
  input: [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "You are Codex." }] },
    { type: "message", role: "user", content: [{ type: "input_text", text }] },
    ...extra,
  ],
});

const names = (events: SseEvent[]) => events.map((event) => event.event);

describe("startFakeOpenAIResponses", () => {
  it("streams a text reply as Responses SSE and records the request", async () => {
    const server = await start();
    server.script(openAIResponsesReplies.text("Hello from the fake model, in deltas.", { deltaSize: 10, usage: { inputTokens: 42, outputTokens: 7, cachedTokens: 2 } }));
    const response = await post(server, userSays("Say hello"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await response.text());
    expect(names(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    for (const event of events) expect(event.data.type).toBe(event.event);
    expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_event, index) => index));
    const deltas = events.filter((event) => event.event === "response.output_text.delta").map((event) => event.data.delta);
    expect(deltas.join("")).toBe("Hello from the fake model, in deltas.");
    const done = events.find((event) => event.event === "response.output_item.done")?.data.item as Record<string, unknown>;
    expect(done).toMatchObject({ type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello from the fake model, in deltas." }] });
    const completed = events.at(-1)?.data.response as Record<string, unknown>;
    expect(completed).toMatchObject({
      status: "completed",
      model: "gpt-5.5",
      usage: { input_tokens: 42, output_tokens: 7, total_tokens: 49, input_tokens_details: { cached_tokens: 2 } },
    });
    expect(server.requests).toHaveLength(1);
    expect(server.turns[0]).toMatchObject({ number: 1, model: "gpt-5.5", lastUserText: "Say hello", continuingAfterTool: false });
    expect(server.turns[0]?.request.headers.authorization).toBe("Bearer dummy");
  });

  it("answers a shell tool call, then text once the next request carries the function_call_output", async () => {
    const server = await start({ respond: openAIResponsesReplies.shellThenText("echo hi", (outputs) => `The command printed: ${outputs[0]?.output ?? "?"}`) });
    const first = parseSse(await (await post(server, userSays("Run echo hi"))).text());
    const call = first.find((event) => event.event === "response.output_item.done")?.data.item as Record<string, unknown>;
    expect(call).toMatchObject({ type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: "echo hi" }) });
    const args = first.filter((event) => event.event === "response.function_call_arguments.delta").map((event) => event.data.delta).join("");
    expect(args).toBe(JSON.stringify({ cmd: "echo hi" }));
    const callId = String(call.call_id);
    const second = parseSse(
      await (
        await post(
          server,
          userSays("Run echo hi", [
            { type: "function_call", name: "exec_command", arguments: call.arguments, call_id: callId },
            { type: "function_call_output", call_id: callId, output: "hi\n" },
          ]),
        )
      ).text(),
    );
    const answer = second.find((event) => event.event === "response.output_text.done")?.data.text;
    expect(answer).toBe("The command printed: hi\n");
    expect(server.turns[1]).toMatchObject({ number: 2, continuingAfterTool: true, toolOutputs: [{ callId, output: "hi\n" }] });
  });

  it("uses scripted replies in order, then the default responder", async () => {
    const server = await start({ replies: [openAIResponsesReplies.reasoning("Thinking it over", "First")] });
    server.script(() => openAIResponsesReplies.text("Second"));
    const first = parseSse(await (await post(server, userSays("1"))).text());
    const items = first.filter((event) => event.event === "response.output_item.done").map((event) => (event.data.item as { type: string }).type);
    expect(items).toEqual(["reasoning", "message"]);
    const texts: unknown[] = [];
    for (const prompt of ["2", "3"]) {
      const events = parseSse(await (await post(server, userSays(prompt))).text());
      texts.push(events.find((event) => event.event === "response.output_text.done")?.data.text);
    }
    expect(texts).toEqual(["Second", "OK"]);
  });

  it("echoes a tool output by default", async () => {
    const server = await start();
    const events = parseSse(await (await post(server, userSays("x", [{ type: "function_call_output", call_id: "c1", output: "42" }]))).text());
    expect(events.find((event) => event.event === "response.output_text.done")?.data.text).toBe("Tool output: 42");
  });

  it("sends verbatim output items", async () => {
    const server = await start({
      replies: [
        openAIResponsesReplies.message([
          { type: "item", item: { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "docs" } } },
          { type: "text", text: "Found" },
        ]),
      ],
    });
    const events = parseSse(await (await post(server, userSays("search"))).text());
    const items = events.filter((event) => event.event === "response.output_item.done").map((event) => event.data.item);
    expect(items[0]).toEqual({ type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "docs" } });
  });

  it("returns one JSON response when the request does not stream", async () => {
    const server = await start({ replies: [openAIResponsesReplies.text("plain")] });
    const response = await post(server, { ...userSays("x"), stream: false });
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { output: Array<{ content: Array<{ text: string }> }> };
    expect(body.output[0]?.content[0]?.text).toBe("plain");
  });

  it.each([
    [401, "invalid_api_key", "Incorrect API key provided: dummy"],
    [429, "rate_limit_exceeded", "Rate limit reached for requests"],
    [500, null, "The server had an error while processing your request."],
  ])("answers HTTP %i with an OpenAI error body", async (status, code, message) => {
    const server = await start({ replies: [openAIResponsesReplies.error(status)] });
    const response = await post(server, userSays("x"));
    expect(response.status).toBe(status);
    expect(response.headers.get("x-request-id")).toMatch(/^req_fake_/);
    expect(await response.json()).toEqual({ error: { message, type: expect.any(String), param: null, code } });
  });

  it("rejects a wrong API key with 401 when apiKey is set", async () => {
    const server = await start({ apiKey: "right" });
    expect((await post(server, userSays("x"), { key: "wrong" })).status).toBe(401);
    expect((await post(server, userSays("x"), { key: "right" })).status).toBe(200);
  });

  it("streams response.failed", async () => {
    const server = await start({ replies: [openAIResponsesReplies.failed("The model crashed", "server_error")] });
    const events = parseSse(await (await post(server, userSays("x"))).text());
    expect(names(events)).toEqual(["response.created", "response.failed"]);
    expect(events[1]?.data.response).toMatchObject({ status: "failed", error: { code: "server_error", message: "The model crashed" } });
  });

  it("waits delayMs before answering", async () => {
    const server = await start({ replies: [openAIResponsesReplies.text("late", { delayMs: 150 })] });
    const started = Date.now();
    const response = await post(server, userSays("x"));
    await response.text();
    expect(server.turns).toHaveLength(1);
    // Headers cannot arrive before the delay has elapsed, so the floor is a property, not a speed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("drops the connection before any response", async () => {
    const server = await start({ replies: [openAIResponsesReplies.drop()] });
    await expect(post(server, userSays("x"))).rejects.toThrow();
  });

  it("drops the connection mid-stream after the first delta", async () => {
    const server = await start({ replies: [openAIResponsesReplies.dropMidStream("Partial answer here")] });
    const response = await post(server, userSays("x"));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("hangs until the client gives up, and close() ends it", async () => {
    const server = await start({ replies: [openAIResponsesReplies.hang(), openAIResponsesReplies.stallMidStream()] });
    const controller = new AbortController();
    const pending = post(server, userSays("x"), { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();

    const stalled = await post(server, userSays("y"));
    // A fetch body carries bytes; Node's types leave its chunks `any`.
    const reader = stalled.body?.getReader() as ReadableStreamDefaultReader<Uint8Array> | undefined;
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("response.created");
    const rest = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return "ended";
      }
    })().catch(() => "cut");
    await server.close();
    expect(["ended", "cut"]).toContain(await rest);
  });

  it("answers unknown routes with 404 and records them", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(404);
    expect(server.requests.map((request) => request.path)).toEqual(["/v1/models"]);
    expect(server.turns).toHaveLength(0);
  });

  it("answers Ollama's native routes when asked to", async () => {
    const server = await start({ ollama: { version: "0.13.6", models: ["gpt-oss:20b", "qwen3:8b"], loaded: ["qwen3:8b"] } });
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({ version: "0.13.6" });
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((model) => model.name)).toEqual(["gpt-oss:20b", "qwen3:8b"]);
    const ps = (await (await fetch(`${server.url}/api/ps`)).json()) as { models: Array<{ name: string }> };
    expect(ps.models.map((model) => model.name)).toEqual(["qwen3:8b"]);
    expect((await post(server, { model: "gpt-oss:20b" }, { path: "/api/show" })).status).toBe(200);
    expect((await post(server, { model: "missing" }, { path: "/api/show" })).status).toBe(404);
    const responses = parseSse(await (await post(server, userSays("x"))).text());
    expect(responses.at(-1)?.event).toBe("response.completed");
  });

  it("reset() forgets the queue, turns and requests", async () => {
    const server = await start({ replies: [openAIResponsesReplies.text("scripted")] });
    server.reset();
    const events = parseSse(await (await post(server, userSays("x"))).text());
    expect(events.find((event) => event.event === "response.output_text.done")?.data.text).toBe("OK");
    expect(server.turns).toHaveLength(1);
  });
});

describe("fakeCodexConfigToml", () => {
  it("points a model provider at the server with bounded retries and traffic off", () => {
    const toml = fakeCodexConfigToml({ baseUrl: "http://127.0.0.1:1234/v1", retries: 2, providerId: "local" });
    expect(toml).toContain('model_provider = "local"');
    expect(toml).toContain("[model_providers.local]");
    expect(toml).toContain('base_url = "http://127.0.0.1:1234/v1"');
    expect(toml).toContain('wire_api = "responses"');
    expect(toml).toContain("request_max_retries = 2");
    expect(toml).toContain("stream_max_retries = 2");
    for (const line of ["unbounded_connection_retries = false", "plugins = false", "remote_plugin = false", "check_for_update_on_startup = false"]) {
      expect(toml).toContain(line);
    }
  });
});
