import { afterEach, describe, expect, it } from "vitest";
import { anthropicReplies } from "./anthropic-replies.js";
import { startFakeAnthropic, type FakeAnthropicServer } from "./anthropic.js";

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

const servers: FakeAnthropicServer[] = [];

async function start(...args: Parameters<typeof startFakeAnthropic>): Promise<FakeAnthropicServer> {
  const server = await startFakeAnthropic(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function post(server: FakeAnthropicServer, body: unknown, path = "/v1/messages?beta=true", signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-dummy-key", "anthropic-version": "2023-06-01" },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

const userSays = (text: string) => ({ model: "claude-test", stream: true, messages: [{ role: "user", content: text }] });

function textOfEvents(events: SseEvent[], deltaType: string, field: string): string {
  return events
    .filter((event) => event.event === "content_block_delta")
    .map((event) => event.data.delta as Record<string, unknown>)
    .filter((delta) => delta.type === deltaType)
    .map((delta) => String(delta[field]))
    .join("");
}

describe("startFakeAnthropic", () => {
  it("streams a text reply as Anthropic SSE and records the request", async () => {
    const server = await start();
    server.script(anthropicReplies.text("Hello from the fake model, in several deltas.", { deltaSize: 10 }));
    const response = await post(server, userSays("Say hello"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(textOfEvents(events, "text_delta", "text")).toBe("Hello from the fake model, in several deltas.");
    const start_ = events[0]?.data.message as Record<string, unknown>;
    expect(start_.model).toBe("claude-test");
    expect(start_.id).toBe("msg_fake_1");
    const delta = events.find((event) => event.event === "message_delta")?.data;
    expect(delta?.delta).toMatchObject({ stop_reason: "end_turn" });
    expect((delta?.usage as Record<string, number>).output_tokens).toBeGreaterThan(0);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/messages", url: "/v1/messages?beta=true", query: { beta: "true" } });
    expect(request?.headers["x-api-key"]).toBe("sk-ant-dummy-key");
    expect(request?.body).toMatchObject({ stream: true, messages: [{ role: "user", content: "Say hello" }] });
    expect(server.turns[0]?.lastUserText).toBe("Say hello");
  });

  it("answers without ?beta=true and returns one JSON message when stream is false", async () => {
    const server = await start({ replies: [anthropicReplies.text("Plain JSON")] });
    const response = await post(server, { ...userSays("Hi"), stream: false }, "/v1/messages");
    expect(response.headers.get("content-type")).toContain("application/json");
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-test",
      content: [{ type: "text", text: "Plain JSON" }],
      stop_reason: "end_turn",
    });
  });

  it("asks for a tool, then answers with text once the tool result comes back", async () => {
    const server = await start({
      respond: anthropicReplies.toolThenText("Bash", { command: "echo hi", description: "Print hi" }, (results) => `The command printed: ${results[0]?.text ?? "?"}`, {
        preface: "I will run a command.",
      }),
    });
    const first = parseSse(await (await post(server, userSays("Run echo hi"))).text());
    expect(textOfEvents(first, "text_delta", "text")).toBe("I will run a command.");
    const toolStart = first.find((event) => event.event === "content_block_start" && (event.data.content_block as { type: string }).type === "tool_use");
    expect(toolStart?.data).toMatchObject({ index: 1, content_block: { type: "tool_use", id: "toolu_fake_1", name: "Bash", input: {} } });
    expect(JSON.parse(textOfEvents(first, "input_json_delta", "partial_json"))).toEqual({ command: "echo hi", description: "Print hi" });
    expect(first.find((event) => event.event === "message_delta")?.data.delta).toMatchObject({ stop_reason: "tool_use" });

    const second = parseSse(
      await (
        await post(server, {
          model: "claude-test",
          stream: true,
          messages: [
            { role: "user", content: "Run echo hi" },
            { role: "assistant", content: [{ type: "tool_use", id: "toolu_fake_1", name: "Bash", input: { command: "echo hi" } }] },
            { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_fake_1", content: "hi", is_error: false }] },
            { role: "system", content: "a trailing system message is tolerated" },
          ],
        })
      ).text(),
    );
    expect(textOfEvents(second, "text_delta", "text")).toBe("The command printed: hi");
    expect(server.turns[1]?.toolResults).toEqual([{ toolUseId: "toolu_fake_1", text: "hi", isError: false }]);
  });

  it("streams thinking deltas with a signature before the text", async () => {
    const server = await start({ replies: [anthropicReplies.thinking("Let me think.", "Done.")] });
    const events = parseSse(await (await post(server, userSays("Think"))).text());
    expect(textOfEvents(events, "thinking_delta", "thinking")).toBe("Let me think.");
    expect(textOfEvents(events, "signature_delta", "signature")).not.toBe("");
    expect(textOfEvents(events, "text_delta", "text")).toBe("Done.");
    expect(events[1]?.data.content_block).toMatchObject({ type: "thinking" });
  });

  it("returns Anthropic error bodies with a request-id header", async () => {
    const server = await start();
    server.script(
      anthropicReplies.error(401),
      anthropicReplies.error(429, { headers: { "retry-after": "1" } }),
      anthropicReplies.error(500, { headers: { "request-id": "req_fake_500" } }),
    );
    const unauthorized = await post(server, userSays("a"));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("request-id")).toMatch(/^req_fake_/);
    expect(await unauthorized.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });

    const limited = await post(server, userSays("b"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ error: { type: "rate_limit_error" } });

    const failed = await post(server, userSays("c"));
    expect(failed.status).toBe(500);
    expect(failed.headers.get("request-id")).toBe("req_fake_500");
    expect(await failed.json()).toEqual({ type: "error", error: { type: "api_error", message: "Internal server error" } });
  });

  it("uses the queue first, then the fallback responder", async () => {
    const server = await start({ replies: [anthropicReplies.text("first")] });
    server.script((turn) => anthropicReplies.text(`second, call ${turn.number}`));
    const texts: string[] = [];
    for (let call = 0; call < 3; call += 1) {
      texts.push(textOfEvents(parseSse(await (await post(server, userSays("x"))).text()), "text_delta", "text"));
    }
    expect(texts).toEqual(["first", "second, call 2", "OK"]);
    server.respondWith(() => anthropicReplies.text("replaced"));
    expect(textOfEvents(parseSse(await (await post(server, userSays("x"))).text()), "text_delta", "text")).toBe("replaced");
    server.reset();
    expect(server.requests).toHaveLength(0);
    expect(server.turns).toHaveLength(0);
  });

  it("drops the connection mid-stream after the first delta", async () => {
    const server = await start({ replies: [anthropicReplies.dropMidStream("This answer never finishes")] });
    const response = await post(server, userSays("x"));
    expect(response.status).toBe(200);
    // A fetch body carries bytes; Node's types leave its chunks `any`.
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let received = "";
    const failure = await (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return null;
        received += decoder.decode(chunk.value, { stream: true });
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received).toContain("message_start");
    expect(received).toContain("This ans");
    expect(received).not.toContain("message_stop");
  });

  it("stalls mid-stream and hangs without answering until the client gives up", async () => {
    const server = await start({ replies: [anthropicReplies.stallMidStream("Thinking slowly"), anthropicReplies.hang()] });
    const controller = new AbortController();
    const stalled = await post(server, userSays("x"), undefined, controller.signal);
    const reader = stalled.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let received = "";
    while (!received.includes("text_delta")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += new TextDecoder().decode(chunk.value);
    }
    expect(received).toContain("Thinking slowly");
    controller.abort();

    const outcome = await post(server, userSays("y"), undefined, AbortSignal.timeout(300)).then(
      () => "answered",
      (error: unknown) => (error as Error).name,
    );
    expect(outcome).toBe("TimeoutError");
    expect(server.turns).toHaveLength(2);
  });

  it("drops a connection before answering", async () => {
    const server = await start({ replies: [anthropicReplies.drop()] });
    await expect(post(server, userSays("x"))).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
  });

  it("answers preflights with 200, count_tokens with an estimate and unknown routes with 404", async () => {
    const server = await start();
    expect((await fetch(`${server.url}/`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(200);
    const counted = await post(server, userSays("count me"), "/v1/messages/count_tokens?beta=true");
    expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    const missing = await post(server, {}, "/v1/other");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "HEAD /",
      "GET /v1/models",
      "POST /v1/messages/count_tokens?beta=true",
      "POST /v1/other",
    ]);
    expect(server.turns).toHaveLength(0);
  });

  it("waits for requests and closes while a reply hangs", async () => {
    const server = await start({ respond: () => anthropicReplies.hang() });
    const pending = post(server, userSays("x")).catch((error: unknown) => error);
    const [request] = await server.waitForRequests(1, { filter: (candidate) => candidate.path === "/v1/messages" });
    expect(request?.body).toMatchObject({ messages: [{ content: "x" }] });
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
    await expect(server.waitForRequests(2, { timeoutMs: 50 })).rejects.toMatchObject({ code: "timeout" });
  });
  it("delays the first byte and paces the chunks without changing the stream", async () => {
    const server = await start({
      replies: [
        anthropicReplies.text("Paced answer in pieces", { delayMs: 40, chunkDelayMs: 5, deltaSize: 5 }),
        anthropicReplies.error(529, { delayMs: 20 }),
      ],
    });
    const events = parseSse(await (await post(server, userSays("x"))).text());
    expect(events[0]?.event).toBe("message_start");
    expect(events.at(-1)?.event).toBe("message_stop");
    expect(textOfEvents(events, "text_delta", "text")).toBe("Paced answer in pieces");
    const overloaded = await post(server, userSays("y"));
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ error: { type: "overloaded_error" } });
  });

  it("keeps serving after a client gives up during a delay", async () => {
    const server = await start({ replies: [anthropicReplies.text("too late", { delayMs: 5_000 })] });
    const outcome = await post(server, userSays("x"), undefined, AbortSignal.timeout(100)).then(
      () => "answered",
      (error: unknown) => (error as Error).name,
    );
    expect(outcome).toBe("TimeoutError");
    const next = parseSse(await (await post(server, userSays("again"))).text());
    expect(textOfEvents(next, "text_delta", "text")).toBe("OK");
    expect(server.turns.map((turn) => turn.lastUserText)).toEqual(["x", "again"]);
  });
});
