import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import type { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { expectAsmErrorAsync } from "@asm/testkit/assertions";
import { createAccount } from "@nats-io/nkeys";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonlProvider } from "./__fixtures__/jsonl-provider.js";
import { createNatsTrust, writeCredsFile, type NatsTrust, type UserJwtPermissions } from "./__fixtures__/nats-jwt-auth.js";
import { makeTlsCertificates, opensslInstalled, type TlsCertificates } from "./__fixtures__/tls-certificates.js";
import { createRemoteClient, startRemoteNode, type NatsOptions } from "./index.js";

// A real nats-server (Debian's package) on a random loopback port, in operator mode with JWTs
// signed by the test (a node and a client authenticate with `.creds` files), and with TLS from a
// CA the test makes: the nodes and clients run the fake CLI end to end, whoever lacks the
// credentials or the CA is refused with connection_failed, never seeing a secret in the error,
// and a creds file that is missing or is not one is config_invalid naming credsFile.

const inCi = process.env.CI === "true";
const natsAvailable = natsServerInstalled();
const opensslAvailable = opensslInstalled();
if (!natsAvailable && inCi) throw new Error("nats-server is not installed (/usr/sbin/nats-server); CI must install the nats-server package");
if (!opensslAvailable && inCi) throw new Error("openssl is not installed (/usr/bin/openssl); CI must install the openssl package");
const transcript = fileURLToPath(new URL("./__fixtures__/basic.jsonl", import.meta.url));

/** What a node user may do: its own subjects, its private inbox, the fleet subjects (as security.test.ts). */
function nodePermissions(node: string): UserJwtPermissions {
  return {
    pub: { allow: [`asm.node.${node}.>`] },
    sub: { allow: [`asm.node.${node}.>`, "asm.nodes.any", "asm.nodes.list", `_INBOX_${node}.>`] },
    resp: { max: 1, ttl: 0 },
  };
}
const CLIENT_PERMISSIONS: UserJwtPermissions = { pub: { allow: ["asm.>"] }, sub: { allow: ["asm.>", "_INBOX.>"] } };

/** Runs the fake CLI on node n1 through a client with `nats`, and closes everything. */
async function runThrough(nats: NatsOptions): Promise<string> {
  const remote = createRemoteClient({ nats, defaults: { rpcTimeoutMs: 3_000 } });
  const asm = createAsm({ providers: [jsonlProvider()], config: { remoteBackend: remote.remoteBackend } });
  try {
    const result = await asm.query("jsonl", "hello", { executionMode: "remote_node", remote: { node: "n1" }, cliPath: fakeCliPath(), env: fakeCliEnv({ mode: "replay", transcript }) });
    return result.status;
  } finally {
    await asm.dispose();
    await remote.close();
  }
}

/** Everything an error shows: message, details, stack and causes, as a log would print it. */
function everythingIn(error: AsmError): string {
  return `${error.message}\n${inspect(error, { depth: 10 })}`;
}

describe.skipIf(!natsAvailable)("NATS .creds files (decentralized JWT authentication)", () => {
  let dir: string;
  let trust: NatsTrust;
  let nats: PrivateNatsServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-creds-"));
    trust = createNatsTrust();
    const config = join(dir, "nats.conf");
    writeFileSync(config, trust.serverConfig);
    nats = await startPrivateNatsServer({ configFile: config });
  });
  afterEach(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a CLI end to end through a node and a client that authenticate with .creds files", async () => {
    const nodeUser = trust.user(dir, "n1", nodePermissions("n1"));
    const clientUser = trust.user(dir, "client", CLIENT_PERMISSIONS);
    expect(statSync(nodeUser.credsFile).mode & 0o777).toBe(0o600);
    const node = await startRemoteNode({ name: "n1", nats: { servers: nats.url, credsFile: nodeUser.credsFile }, stateDir: dir, heartbeatMs: 100 });
    try {
      expect(await runThrough({ servers: nats.url, credsFile: clientUser.credsFile })).toBe("completed");
    } finally {
      await node.stop();
    }
  });

  it("refuses, with connection_failed and no secret in the error, a client without creds, an unknown user and a tampered JWT", async () => {
    const node = await startRemoteNode({ name: "n1", nats: { servers: nats.url, credsFile: trust.user(dir, "n1", nodePermissions("n1")).credsFile }, stateDir: dir, heartbeatMs: 100 });
    try {
      const refused = { code: "connection_failed", details: { reason: "remote_connect_failed" } } as const;
      await expectAsmErrorAsync(runThrough({ servers: nats.url }), refused);

      // Signed by an account the server was never told about.
      const stranger = trust.user(dir, "stranger", CLIENT_PERMISSIONS, createAccount());
      const strangerError = await expectAsmErrorAsync(runThrough({ servers: nats.url, credsFile: stranger.credsFile }), refused);
      expect(everythingIn(strangerError)).not.toContain(stranger.seed);
      expect(everythingIn(strangerError)).not.toContain(stranger.jwt);

      // A valid user JWT whose permissions were widened after signing: the signature no longer holds.
      const genuine = trust.user(dir, "genuine", CLIENT_PERMISSIONS);
      const [header, payload, signature] = genuine.jwt.split(".") as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { nats: UserJwtPermissions };
      claims.nats.pub = { allow: [">"] };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
      const tamperedFile = writeCredsFile(join(dir, "tampered.creds"), tampered, genuine.seed);
      const tamperedError = await expectAsmErrorAsync(runThrough({ servers: nats.url, credsFile: tamperedFile }), refused);
      expect(everythingIn(tamperedError)).not.toContain(genuine.seed);
      expect(everythingIn(tamperedError)).not.toContain(tampered);
      // The genuine file still works: the refusals were about the credentials, not the server.
      expect(await runThrough({ servers: nats.url, credsFile: genuine.credsFile })).toBe("completed");

      // A node with a tampered JWT is refused the same way.
      const nodeError = await expectAsmErrorAsync(startRemoteNode({ name: "n2", nats: { servers: nats.url, credsFile: tamperedFile }, stateDir: dir }), refused);
      expect(everythingIn(nodeError)).not.toContain(genuine.seed);
    } finally {
      await node.stop();
    }
  });

  it("fails with config_invalid naming credsFile when the creds file is missing", async () => {
    const missing = join(dir, "absent.creds");
    const expected = { code: "config_invalid", message: missing, details: { key: "credsFile" } } as const;
    await expectAsmErrorAsync(startRemoteNode({ name: "n1", nats: { servers: nats.url, credsFile: missing }, stateDir: dir }), expected);
    await expectAsmErrorAsync(runThrough({ servers: nats.url, credsFile: missing }), expected);
  });

  it("fails with config_invalid naming credsFile, not a retryable connection failure, when the file is not a .creds file", async () => {
    const user = trust.user(dir, "n1", nodePermissions("n1"));
    const jwtBlock = `-----BEGIN NATS USER JWT-----\n${user.jwt}\n------END NATS USER JWT------\n`;
    const broken = {
      "empty.creds": "",
      "garbage.creds": "not a creds file\n",
      "jwt-only.creds": jwtBlock,
      "bad-seed.creds": `${jwtBlock}\n-----BEGIN USER NKEY SEED-----\n${user.seed.slice(0, -4)}AAAA\n------END USER NKEY SEED------\n`,
    };
    for (const [name, content] of Object.entries(broken)) {
      const file = join(dir, name);
      writeFileSync(file, content, { mode: 0o600 });
      const expected = { code: "config_invalid", message: file, details: { key: "credsFile" } } as const;
      const nodeError = await expectAsmErrorAsync(startRemoteNode({ name: "n1", nats: { servers: nats.url, credsFile: file }, stateDir: dir }), expected);
      expect(everythingIn(nodeError)).not.toContain(user.jwt);
      expect(everythingIn(nodeError)).not.toContain(user.seed.slice(0, -4));
      await expectAsmErrorAsync(runThrough({ servers: nats.url, credsFile: file }), expected);
    }
  });

  it("confines a node user to its own subjects through the permissions in its JWT", async () => {
    const n1 = trust.user(dir, "n1", nodePermissions("n1"));
    const client = trust.user(dir, "client", CLIENT_PERMISSIONS);
    let observer: NatsConnection | null = null;
    let rogue: NatsConnection | null = null;
    try {
      observer = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(client.credsFile)) });
      const seen: string[] = [];
      observer.subscribe("asm.node.n2.>", { callback: (_error, msg) => void seen.push(msg.subject) });
      await observer.flush();
      // n1's creds file, trying to speak for n2.
      rogue = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(n1.credsFile)), inboxPrefix: "_INBOX_n1" });
      const violations: string[] = [];
      void (async () => {
        for await (const status of rogue.status()) if (status.type === "error") violations.push(String((status as { error?: Error }).error?.message ?? status.type));
      })();
      rogue.publish("asm.node.n2.run.r1.events", `${JSON.stringify({ seq: 1, kind: "stdout" })}\n{"type":"text","text":"forged"}\n`);
      rogue.publish("asm.node.n1.probe", "allowed");
      await rogue.flush();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await observer.flush();
      expect(seen).toEqual([]);
      expect(violations.join("\n")).toMatch(/Permissions Violation for Publish to "asm\.node\.n2\.run\.r1\.events"/);
      expect(violations.join("\n")).not.toMatch(/asm\.node\.n1\.probe/);
    } finally {
      await rogue?.close();
      await observer?.close();
    }
  });
});

describe.skipIf(!natsAvailable || !opensslAvailable)("NATS over TLS", () => {
  let dir: string;
  let certificates: TlsCertificates;
  let nats: PrivateNatsServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-tls-"));
    certificates = makeTlsCertificates(dir);
    const config = join(dir, "nats.conf");
    writeFileSync(config, `tls {\n  cert_file: "${certificates.certFile}"\n  key_file: "${certificates.keyFile}"\n}\n`);
    nats = await startPrivateNatsServer({ configFile: config });
  });
  afterEach(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The plain nats:// URL is enough: the server's INFO says tls_required and the client upgrades
  // the connection before it sends anything. Neither a tls:// URL nor `handshakeFirst` (a TLS
  // handshake before INFO, for servers configured with `handshake_first`) is needed.
  it("runs a CLI end to end through a node and a client that trust the server's CA", async () => {
    const tls = { caFile: certificates.caFile };
    const node = await startRemoteNode({ name: "n1", nats: { servers: nats.url, tls }, stateDir: dir, heartbeatMs: 100 });
    try {
      expect(await runThrough({ servers: nats.url, tls })).toBe("completed");
    } finally {
      await node.stop();
    }
  });

  it("refuses a client that does not trust the server's CA with connection_failed", async () => {
    await expectAsmErrorAsync(runThrough({ servers: nats.url }), { code: "connection_failed", details: { reason: "remote_connect_failed" } });
    await expectAsmErrorAsync(startRemoteNode({ name: "n1", nats: { servers: nats.url, tls: {} }, stateDir: dir }), {
      code: "connection_failed",
      details: { reason: "remote_connect_failed" },
    });
  });
});
