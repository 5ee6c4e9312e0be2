import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeCliEnv, fakeCliPath, natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jsonlProvider } from "./__fixtures__/jsonl-provider.js";
import { connect } from "@nats-io/transport-node";
import { ASM_VERSION, PROTO, START_CAPABILITY, encode, encodeRunEvent, subjects } from "./protocol.js";
import { createRemoteClient, readDurableRun, startRemoteNode, type RemoteClient, type RemoteNode, type RemoteNodeOptions } from "./index.js";

// Every test runs against a real nats-server (Debian's package) on a random loopback port, with
// real node daemons (in this process, or in a child process when the test kills or freezes it)
// running the testkit's fake CLI.

const inCi = process.env.CI === "true";
const available = natsServerInstalled();
if (!available && inCi) throw new Error("nats-server is not installed (/usr/sbin/nats-server); CI must install the nats-server package");

const NODE_FIXTURE = fileURLToPath(new URL("./__fixtures__/node-process.ts", import.meta.url));
const transcript = fileURLToPath(new URL("./__fixtures__/basic.jsonl", import.meta.url));

function isAlive(pid: number): boolean {
  try {
    // A zombie (this container's PID 1 does not reap) counts as gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

function pidsIn(file: string): number[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function collect(stream: AsyncIterable<AsmEvent>, onEvent?: (event: AsmEvent) => void | Promise<void>): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    await onEvent?.(event);
  }
  return events;
}

const outcomes = (events: AsmEvent[]) => events.filter((event) => isOutcomeEvent(event));

describe.skipIf(!available)("remote nodes over NATS", () => {
  let nats: PrivateNatsServer;
  let dir: string;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    nats = await startPrivateNatsServer({ jetstream: true });
  });
  afterAll(async () => {
    await nats?.stop();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    rmSync(dir, { recursive: true, force: true });
  });

  async function node(options: Partial<RemoteNodeOptions> & { name: string }): Promise<RemoteNode> {
    const started = await startRemoteNode({ nats: { servers: nats.url }, stateDir: dir, heartbeatMs: 100, ...options });
    cleanup.push(() => started.stop());
    return started;
  }

  /** A node daemon in a child process (to SIGKILL or SIGSTOP it). */
  async function nodeProcess(name: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--conditions=@asm/source", "--import", "tsx", NODE_FIXTURE, JSON.stringify({ name, nats: { servers: nats.url }, stateDir: dir, heartbeatMs: 100 })], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    cleanup.push(() => {
      try {
        child.kill("SIGCONT");
        child.kill("SIGKILL");
      } catch {
        // Gone.
      }
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`node process exited with ${String(code)}`)));
    });
    return child;
  }

  function client(): { remote: RemoteClient; asm: Asm } {
    const remote = createRemoteClient({ nats: { servers: nats.url }, defaults: { heartbeatMs: 100, rpcTimeoutMs: 3_000 } });
    const asm = createAsm({ providers: [jsonlProvider()], config: { remoteBackend: remote.remoteBackend } });
    cleanup.push(() => remote.close());
    cleanup.push(() => asm.dispose());
    return { remote, asm };
  }

  function runOptions(scenario: Parameters<typeof fakeCliEnv>[0], remote: { node: string } & Record<string, unknown> = { node: "n1" }) {
    return { executionMode: "remote_node" as const, remote, cliPath: fakeCliPath(), env: fakeCliEnv({ ...scenario, pidFile: join(dir, "pids") }) };
  }

  it("runs a CLI on the node: events come back in order, one outcome, nothing left on the node", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "n1" });
    const { asm } = client();
    const events = await collect(asm.stream("jsonl", "hello", runOptions({ mode: "replay", transcript })));
    // An error outcome shows its payload, so a failure says why.
    expect(outcomes(events).map((event) => (event.kind === "error" ? JSON.stringify(event.payload) : event.kind))).toEqual(["result"]);
    expect(events.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    expect(events.filter((event) => event.kind === "assistant_delta").length).toBeGreaterThan(0);
    const pids = pidsIn(join(dir, "pids"));
    expect(pids).toHaveLength(1);
    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
  });

  it("fails the preflight with typed reasons: no node, version, capability, not ready", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    const { asm } = client();
    const reason = async (remote: { node: string } & Record<string, unknown>) => {
      const error = await asm.query("jsonl", "x", runOptions({ mode: "replay", transcript }, remote)).catch((caught: unknown) => caught);
      return { code: (error as { code?: string }).code, reason: (error as { details?: { reason?: string } }).details?.reason };
    };
    expect(await reason({ node: "absent" })).toEqual({ code: "connection_failed", reason: "remote_not_ready" });
    await node({ name: "old", asmVersion: "99.1.0" });
    expect(await reason({ node: "old" })).toEqual({ code: "connection_failed", reason: "remote_version_mismatch" });
    await node({ name: "bare", capabilities: [] });
    expect(await reason({ node: "bare" })).toEqual({ code: "connection_failed", reason: "remote_capability_mismatch" });
    await node({ name: "cold", startNotReady: true });
    expect(await reason({ node: "cold" })).toEqual({ code: "connection_failed", reason: "remote_not_ready" });
    // ensure_started brings it up, then the run goes through.
    const result = await asm.query("jsonl", "x", runOptions({ mode: "replay", transcript }, { node: "cold", bootstrapMode: "ensure_started" }));
    expect(result.status).toBe("completed");
    // A bad option fails closed, naming the field; the sdk lane never runs remotely.
    expect(await reason({ node: "cold", bogus: 1 })).toEqual({ code: "config_invalid", reason: undefined });
    expect(await reason({ node: "a.b" })).toEqual({ code: "config_invalid", reason: undefined });
  });

  it("fails to connect with connection_failed when no server listens", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    const remote = createRemoteClient({ nats: { servers: "nats://127.0.0.1:1" } });
    const asm = createAsm({ providers: [jsonlProvider()], config: { remoteBackend: remote.remoteBackend } });
    cleanup.push(() => remote.close(), () => asm.dispose());
    const error = await asm.query("jsonl", "x", runOptions({ mode: "replay", transcript })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "connection_failed", details: { reason: "remote_connect_failed" } });
  });

  it("carries approvals and interrupts across the wire", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "n1" });
    const { asm } = client();
    const approved = await collect(asm.stream("jsonl", "x", runOptions({ mode: "stdin-echo", approvalId: "ap-1" })), async (event) => {
      if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, "allow");
    });
    expect(outcomes(approved)).toHaveLength(1);
    expect(approved.find((event) => event.kind === "result")?.payload).toMatchObject({ text: "approval ap-1: allow" });

    const stream = asm.stream("jsonl", "x", runOptions({ mode: "stdin-echo" }));
    const interrupted = await collect(stream, async (event) => {
      if (event.kind === "assistant_delta") await asm.interrupt(stream.runId);
    });
    expect(outcomes(interrupted)).toHaveLength(1);
    expect(outcomes(interrupted)[0]).toMatchObject({ kind: "error", payload: { code: "user_cancelled" } });
  });

  for (const how of ["SIGKILL", "SIGSTOP"] as const) {
    it(`ends a run with one transport_error when the node gets ${how}`, async () => {
      dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
      const daemon = await nodeProcess("n1");
      const { asm } = client();
      let lostAt = 0;
      const events = await collect(asm.stream("jsonl", "x", runOptions({ mode: "hang", textFirst: "waiting"})), (event) => {
        if (event.kind === "assistant_delta" && lostAt === 0) {
          lostAt = Date.now();
          daemon.kill(how);
        }
      });
      expect(outcomes(events)).toHaveLength(1);
      expect(outcomes(events)[0]).toMatchObject({ kind: "error", payload: { code: "transport_error" } });
      expect(events.at(-1)?.kind).toBe("run_completed");
      // A killed daemon leaves its CLI behind: the next daemon of that name reaps it.
      const pids = pidsIn(join(dir, "pids"));
      expect(pids).toHaveLength(1);
      if (how === "SIGKILL") await node({ name: "n1" });
      else {
        // Thawed, the fenced run is closed by the client's best-effort close.
        daemon.kill("SIGCONT");
      }
      expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
    });
  }

  it("ends runs with one transport_error when the server restarts mid-run, and the node closes them", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "n1" });
    const { asm } = client();
    const events = await collect(asm.stream("jsonl", "x", runOptions({ mode: "hang", textFirst: "waiting"})), async (event) => {
      if (event.kind === "assistant_delta") await nats.restart();
    });
    expect(outcomes(events)).toHaveLength(1);
    expect(outcomes(events)[0]).toMatchObject({ kind: "error", payload: { code: "transport_error" } });
    const pids = pidsIn(join(dir, "pids"));
    expect(pids).toHaveLength(1);
    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
  });

  it("ends a run with one transport_error on a sequence gap", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    // A scripted node (a raw NATS responder, since a real node never skips a seq): it answers the
    // handshake and the start, then publishes seq 1 and seq 3.
    const fake = await connect({ servers: nats.url });
    cleanup.push(() => fake.close());
    const hello = { proto: PROTO, node: "gappy", asm_version: ASM_VERSION, runtime: { name: "node", version: process.versions.node }, capabilities: [START_CAPABILITY], ready: true, active_runs: 0, max_runs: 1, labels: {}, pid: 1 };
    fake.subscribe(subjects.handshake("gappy"), { callback: (_error, msg) => void msg.respond(encode(hello)) });
    fake.subscribe(subjects.start("gappy"), {
      callback: (_error, msg) => {
        const { runId } = JSON.parse(new TextDecoder().decode(msg.data)) as { runId: string };
        msg.respond(encode({ ok: true, node: "gappy", runId, pid: 1 }));
        const line = (text: string) => new TextEncoder().encode(`${JSON.stringify({ type: "text", text })}\n`);
        fake.publish(subjects.events("gappy", runId), encodeRunEvent({ seq: 1, kind: "stdout" }, line("one")));
        fake.publish(subjects.events("gappy", runId), encodeRunEvent({ seq: 3, kind: "stdout" }, line("three")));
      },
    });
    await fake.flush();
    const { asm } = client();
    const events = await collect(asm.stream("jsonl", "x", runOptions({ mode: "replay", transcript }, { node: "gappy" })));
    expect(outcomes(events)).toHaveLength(1);
    expect(outcomes(events)[0]).toMatchObject({ kind: "error", payload: { code: "transport_error", details: { reason: "sequence_gap" } } });
    expect(events.filter((event) => event.kind === "assistant_delta")).toHaveLength(1);
  });

  it("ends a run whose client stopped renewing its lease, leaving nothing on the node", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    const started = await node({ name: "n1", leaseFloorMs: 300 });
    // A client that starts a run and then vanishes (a raw connection that never renews the lease).
    const vanished = await connect({ servers: nats.url });
    cleanup.push(() => vanished.close());
    const reply = await vanished.request(
      subjects.start("n1"),
      encode({
        proto: PROTO,
        runId: "vanished1",
        asm_version: ASM_VERSION,
        runtime_major: Number(process.versions.node.split(".")[0]),
        required_capabilities: [START_CAPABILITY],
        command: fakeCliPath(),
        args: [],
        cwd: dir,
        env: fakeCliEnv({ mode: "hang", pidFile: join(dir, "pids") }),
        lease_ms: 100,
      }),
      { timeout: 5_000 },
    );
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({ ok: true, node: "n1" });
    expect(await waitUntil(() => pidsIn(join(dir, "pids")).length === 1)).toBe(true);
    const pids = pidsIn(join(dir, "pids"));
    expect(await waitUntil(() => started.activeRuns() === 0)).toBe(true);
    expect(pids.every((pid) => !isAlive(pid))).toBe(true);
  });

  it("loses no event of a durable run when the server restarts mid-run", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "n1" });
    const { asm } = client();
    const lines = Array.from({ length: 120 }, (_, index) => JSON.stringify({ type: "text", text: `t${index} ` }));
    const file = join(dir, "long.jsonl");
    writeFileSync(file, `${[...lines, JSON.stringify({ type: "result", text: "done", stop_reason: "end_turn" })].join("\n")}\n`);
    let restarted = false;
    const events = await collect(asm.stream("jsonl", "x", runOptions({ mode: "replay", transcript: file, delayMs: 20 }, { node: "n1", durable: true })), async (event) => {
      if (event.kind === "assistant_delta" && !restarted) {
        restarted = true;
        await nats.restart();
      }
    });
    expect(restarted).toBe(true);
    expect(outcomes(events).map((event) => [event.kind, JSON.stringify(event.payload).slice(0, 300)])).toEqual([["result", expect.any(String)]]);
    const texts = events.filter((event) => event.kind === "assistant_delta").map((event) => event.payload.content);
    expect(texts).toEqual(lines.map((_, index) => `t${index} `));
  });

  it("reads a durable run back from the log: the CLI's lines, how it ended, and a run still going", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "n1" });
    const { asm } = client();
    const stream = asm.stream("jsonl", "x", runOptions({ mode: "replay", transcript }, { node: "n1", durable: true }));
    await collect(stream);
    const record = await readDurableRun({ nats: { servers: nats.url }, runId: stream.runId });
    expect(record).toMatchObject({ runId: stream.runId, node: "n1", ended: "exit", exitCode: 0, signal: null });
    expect(record.stdout).toBe(readFileSync(transcript, "utf8"));
    // The node given explicitly finds the same log; a run the log does not hold is not_found.
    expect((await readDurableRun({ nats: { servers: nats.url }, runId: stream.runId, node: "n1" })).entries).toBe(record.entries);
    await expect(readDurableRun({ nats: { servers: nats.url }, runId: stream.runId, node: "n2" })).rejects.toMatchObject({ code: "not_found" });
    await expect(readDurableRun({ nats: { servers: nats.url }, runId: "no-such-run" })).rejects.toMatchObject({ code: "not_found" });
    await expect(readDurableRun({ nats: { servers: nats.url }, runId: "a.>" })).rejects.toMatchObject({ code: "config_invalid", details: { key: "runId" } });

    // A run still waiting: read as in progress now; with a wait, read to its end after the interrupt.
    const waiting = asm.stream("jsonl", "x", runOptions({ mode: "stdin-echo" }, { node: "n1", durable: true }));
    let interrupted: Promise<unknown> = Promise.resolve();
    const done = collect(waiting, async (event) => {
      if (event.kind !== "assistant_delta") return;
      const now = await readDurableRun({ nats: { servers: nats.url }, runId: waiting.runId });
      expect(now.ended).toBe("in_progress");
      expect(now.entries).toBeGreaterThan(0);
      const later = readDurableRun({ nats: { servers: nats.url }, runId: waiting.runId, waitMs: 20_000 });
      await asm.interrupt(waiting.runId);
      interrupted = later;
    });
    await done;
    expect(await interrupted).toMatchObject({ ended: "exit" });
  });

  it("places fleet runs on nodes with free slots and refuses a duplicate node name", async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-remote-"));
    await node({ name: "a", maxRuns: 1 });
    await node({ name: "b", maxRuns: 1 });
    await expect(startRemoteNode({ name: "a", nats: { servers: nats.url }, stateDir: dir })).rejects.toMatchObject({ code: "config_invalid" });
    const { asm, remote } = client();
    expect((await remote.listNodes()).map((entry) => [entry.node, entry.max_runs - entry.active_runs])).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    const streams = [0, 1].map(() => asm.stream("jsonl", "x", runOptions({ mode: "stdin-echo" }, { node: "any" })));
    const started = await Promise.all(streams.map((stream) => collect(stream, async (event) => {
      if (event.kind === "assistant_delta") await asm.interrupt(stream.runId);
    })));
    expect(started.map((events) => outcomes(events).length)).toEqual([1, 1]);
    // Both slots taken by waiting runs: a third start finds no capacity.
    const hung = [0, 1].map(() => asm.stream("jsonl", "x", runOptions({ mode: "stdin-echo" }, { node: "any" })));
    const placed: string[] = [];
    const ready = hung.map(
      (stream) =>
        new Promise<void>((resolve) => {
          void collect(stream, (event) => {
            if (event.kind === "run_started") placed.push(String(event.metadata.node));
            if (event.kind === "assistant_delta") resolve();
          });
        }),
    );
    await Promise.all(ready);
    // One slot each: the two waiting runs were placed on different nodes, and each run says where.
    expect(placed.sort()).toEqual(["a", "b"]);
    const error = await asm.query("jsonl", "x", runOptions({ mode: "stdin-echo" }, { node: "any", busyRetries: 1 })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "connection_failed", details: { reason: "no_capacity" } });
    for (const stream of hung) await asm.interrupt(stream.runId);
  });
});
