// Frame-level checks of the conformant server with a plain `ws` client (the real `phoenix`
// client runs against it in @asm/pubsub's tests).
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startPhoenixServer, type PhoenixTestServer } from "./phoenix-server.js";

const servers: PhoenixTestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function open(server: PhoenixTestServer, query = "vsn=2.0.0", protocols: string[] = ["phoenix"]) {
  const socket = new WebSocket(`${server.url}/websocket?${query}`, protocols);
  const frames: unknown[][] = [];
  socket.on("message", (data) => void frames.push(JSON.parse((data as Buffer).toString("utf8")) as unknown[]));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = async (count: number) => {
    const deadline = Date.now() + 2_000;
    while (frames.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return frames.slice(0, count);
  };
  return { socket, frames, next, send: (frame: unknown[]) => socket.send(JSON.stringify(frame)) };
}

describe("phoenix test server", () => {
  it("answers heartbeats, joins, unmatched topics, duplicate joins and leaves as Phoenix does", async () => {
    const server = await startPhoenixServer({ join: (topic) => (topic === "nope:1" ? "unmatched" : { status: "ok", response: { hello: topic } }) });
    servers.push(server);
    const client = await open(server, "user=a&vsn=2.0.0", ["phoenix", `base64url.bearer.phx.${btoa("tok").replace(/=+$/, "")}`]);
    expect(client.socket.protocol).toBe("phoenix");
    client.send([null, "1", "phoenix", "heartbeat", {}]);
    client.send(["2", "2", "room:a", "phx_join", {}]);
    client.send([null, "3", "nope:1", "phx_join", {}]);
    client.send(["4", "4", "room:a", "phx_join", {}]);
    client.send(["4", "5", "room:a", "phx_leave", {}]);
    const frames = await client.next(7);
    expect(frames).toEqual([
      [null, "1", "phoenix", "phx_reply", { status: "ok", response: {} }],
      ["2", "2", "room:a", "phx_reply", { status: "ok", response: { hello: "room:a" } }],
      [null, "3", "nope:1", "phx_reply", { status: "error", response: { reason: "unmatched topic" } }],
      ["2", "2", "room:a", "phx_close", {}],
      ["4", "4", "room:a", "phx_reply", { status: "ok", response: { hello: "room:a" } }],
      ["4", "5", "room:a", "phx_reply", { status: "ok", response: {} }],
      ["4", "4", "room:a", "phx_close", {}],
    ]);
    expect(server.upgrades[0]?.info).toEqual({ params: { user: "a" }, token: "tok" });
    client.socket.close();
  });

  it("broadcasts to every joined connection, ignores stale join_refs, refuses bad upgrades", async () => {
    const server = await startPhoenixServer({ connect: (info) => info.params.user !== "banned" });
    servers.push(server);
    const a = await open(server);
    const b = await open(server);
    a.send(["1", "1", "t", "phx_join", {}]);
    b.send(["9", "9", "t", "phx_join", {}]);
    await a.next(1);
    await b.next(1);
    a.send(["old", "2", "t", "shout", { n: 1 }]);
    a.send(["1", "3", "t", "shout", { n: 2 }]);
    const [, ...fromA] = await a.next(3);
    const [, ...fromB] = await b.next(2);
    expect(fromA).toEqual([
      [null, null, "t", "shout", { n: 2 }],
      ["1", "3", "t", "phx_reply", { status: "ok", response: {} }],
    ]);
    expect(fromB).toEqual([[null, null, "t", "shout", { n: 2 }]]);
    const refused = (query: string, path = "/websocket") =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${server.url}${path}?${query}`, ["phoenix"]);
        socket.once("error", (error) => resolve(error.message));
      });
    expect(await refused("user=banned&vsn=2.0.0")).toContain("403");
    expect(await refused("vsn=1.0.0")).toContain("403");
    expect(await refused("vsn=2.0.0", "/other")).toContain("404");
    a.socket.close();
    b.socket.close();
  });

  it("stops and starts again on the same port", async () => {
    const server = await startPhoenixServer();
    servers.push(server);
    const port = server.port;
    const client = await open(server);
    const closed = new Promise<number>((resolve) => client.socket.once("close", (code) => resolve(code)));
    await server.stop();
    expect(await closed).toBe(1006);
    await server.start();
    expect(server.port).toBe(port);
    const again = await open(server);
    again.send([null, "1", "phoenix", "heartbeat", {}]);
    expect(await again.next(1)).toHaveLength(1);
    again.socket.close();
  });
});
