import { afterEach, describe, expect, it } from "vitest";
import { sendJson, SseWriter, startFakeHttpServer, type FakeHttpServer } from "./http-server.js";

const servers: FakeHttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(handle: Parameters<typeof startFakeHttpServer>[0]["handle"]): Promise<FakeHttpServer> {
  const server = await startFakeHttpServer({ handle });
  servers.push(server);
  return server;
}

describe("startFakeHttpServer", () => {
  it("binds to loopback and records method, path, query, headers and both body forms", async () => {
    const server = await start((request, response) => sendJson(response, 201, { echoed: request.body }, { "x-fake": "yes" }));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/v1/echo?alt=sse&n=1`, { method: "POST", headers: { "x-key": "k" }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-fake")).toBe("yes");
    expect(await response.json()).toEqual({ echoed: { a: 1 } });
    await fetch(`${server.url}/plain`, { method: "PUT", body: "not json" });
    expect(server.requests).toMatchObject([
      { index: 0, method: "POST", path: "/v1/echo", url: "/v1/echo?alt=sse&n=1", query: { alt: "sse", n: "1" }, rawBody: '{"a":1}', body: { a: 1 } },
      { index: 1, method: "PUT", path: "/plain", rawBody: "not json", body: undefined },
    ]);
    expect(server.requests[0]?.headers["x-key"]).toBe("k");
  });

  it("answers 500 with the message when a handler throws", async () => {
    const server = await start(() => {
      throw new TypeError("handler bug");
    });
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { type: "fake_server_error", message: "handler bug" } });
  });

  it("streams SSE events with and without names, and reports a client that went away", async () => {
    let reportAbort: (value: Promise<boolean>) => void = () => undefined;
    const sawAbort = new Promise<boolean>((resolve) => {
      reportAbort = (value) => void value.then(resolve);
    });
    const server = await start(async (request, response, context) => {
      const writer = new SseWriter(response, context);
      if (request.path === "/stream") {
        await writer.event("greeting", { hello: "world" });
        await writer.event(undefined, "[DONE]");
        writer.end();
        return;
      }
      await writer.event("first", { n: 1 });
      reportAbort(context.sleep(30_000).then((completed) => !completed && !writer.open));
    });
    const text = await (await fetch(`${server.url}/stream`)).text();
    expect(text).toBe('event: greeting\ndata: {"hello":"world"}\n\ndata: [DONE]\n\n');

    const controller = new AbortController();
    const response = await fetch(`${server.url}/slow`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await server.waitForRequests(2);
    expect(await sawAbort).toBe(true);
  });
});
