import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAsm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonlProvider } from "./__fixtures__/jsonl-provider.js";
import { createRemoteClient, startRemoteNode } from "./index.js";

// A real nats-server with one user per node confined to its own subjects (asm.node.<node>.>, its
// private inbox, the fleet subjects) and a trusted client user: the node works, and a node user
// trying another node's subjects is refused by the server.

const available = natsServerInstalled();
if (!available && process.env.CI === "true") throw new Error("nats-server is not installed (/usr/sbin/nats-server)");
const transcript = fileURLToPath(new URL("./__fixtures__/basic.jsonl", import.meta.url));

function nodeUser(node: string, password: string): string {
  return `{ user: ${node}, password: ${password}, permissions: {
    publish: { allow: ["asm.node.${node}.>"] },
    subscribe: { allow: ["asm.node.${node}.>", "asm.nodes.any", "asm.nodes.list", "_INBOX_${node}.>"] },
    allow_responses: true } }`;
}

describe.skipIf(!available)("per-node NATS users", () => {
  let nats: PrivateNatsServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-sec-"));
    const config = join(dir, "nats.conf");
    writeFileSync(
      config,
      `accounts { ASM { users: [
        ${nodeUser("n1", "n1-secret")},
        ${nodeUser("n2", "n2-secret")},
        { user: client, password: client-secret, permissions: { publish: { allow: ["asm.>"] }, subscribe: { allow: ["asm.>", "_INBOX.>"] } } }
      ] } }\n`,
    );
    nats = await startPrivateNatsServer({ configFile: config });
  });
  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs through a confined node and refuses that node's user another node's subjects", async () => {
    const node = await startRemoteNode({ name: "n1", nats: { servers: nats.url, user: "n1", pass: "n1-secret" }, stateDir: dir, heartbeatMs: 100 });
    const remote = createRemoteClient({ nats: { servers: nats.url, user: "client", pass: "client-secret" } });
    const asm = createAsm({ providers: [jsonlProvider()], config: { remoteBackend: remote.remoteBackend } });
    let rogue: NatsConnection | null = null;
    let observer: NatsConnection | null = null;
    try {
      const result = await asm.query("jsonl", "hello", { executionMode: "remote_node", remote: { node: "n1" }, cliPath: fakeCliPath(), env: fakeCliEnv({ mode: "replay", transcript }) });
      expect(result.status).toBe("completed");

      // n1's credentials, trying to speak for n2.
      observer = await connect({ servers: nats.url, user: "client", pass: "client-secret" });
      const seen: string[] = [];
      observer.subscribe("asm.node.n2.>", { callback: (_error, msg) => void seen.push(msg.subject) });
      await observer.flush();
      rogue = await connect({ servers: nats.url, user: "n1", pass: "n1-secret", inboxPrefix: "_INBOX_n1" });
      const violations: string[] = [];
      void (async () => {
        for await (const status of rogue.status()) if (status.type === "error") violations.push(String((status as { error?: Error }).error?.message ?? status.type));
      })();
      rogue.publish("asm.node.n2.run.r1.events", JSON.stringify({ seq: 1, kind: "stdout", line: "forged" }));
      const stolen = rogue.subscribe("asm.node.n2.>");
      // The client settles `closed` with the server's refusal (resolved or rejected, by version).
      const subscribeRefusal = stolen.closed.then(
        (value: unknown) => (value instanceof Error ? value.message : String(value)),
        (error: Error) => error.message,
      );
      await rogue.flush();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await observer.flush();
      expect(seen).toEqual([]);
      expect(violations.join("\n")).toMatch(/Permissions Violation for Publish to "asm\.node\.n2\.run\.r1\.events"/);
      expect(await subscribeRefusal).toMatch(/Permissions Violation for Subscription to "asm\.node\.n2\.>"/);
      // A wrong password is refused outright.
      await expect(startRemoteNode({ name: "n2", nats: { servers: nats.url, user: "n2", pass: "wrong" }, stateDir: dir })).rejects.toMatchObject({
        code: "connection_failed",
        details: { reason: "remote_connect_failed" },
      });
    } finally {
      await rogue?.close();
      await observer?.close();
      await asm.dispose();
      await remote.close();
      await node.stop();
    }
  });
});
