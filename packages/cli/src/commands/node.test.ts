import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeCliEnv, fakeCliPath, natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// `asm node`, `asm nodes` and `asm run --remote` against a real nats-server on a random loopback
// port; the node runs the testkit's fake CLI replaying a recorded claude session.

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");
const available = natsServerInstalled();
if (!available && process.env.CI === "true") throw new Error("nats-server is not installed (/usr/sbin/nats-server)");

describe.skipIf(!available)("asm node, asm nodes, asm run --remote", () => {
  let nats: PrivateNatsServer;
  beforeAll(async () => {
    nats = await startPrivateNatsServer({ jetstream: true });
  });
  afterAll(async () => {
    await nats?.stop();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("serves runs from a node, lists it, and stops it on an interrupt", async () => {
    // The node's CLIs start from the node's environment: the fake CLI's scenario goes there.
    for (const [key, value] of Object.entries(fakeCliEnv({ version: "2.1.329", mode: "replay", transcript: DEMO_TRANSCRIPT }))) vi.stubEnv(key, value);
    let interrupt: (() => void) | undefined;
    const nodeIo = { ...captureIo(), onInterrupt: (handler: () => void) => ((interrupt = handler), () => undefined) };
    const serving = main(["node", "--nats", nats.url, "--name", "cli-node", "--max-runs", "2", "--label", "gpu=none"], nodeIo);
    for (let attempt = 0; attempt < 200 && !nodeIo.err().includes("ready"); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(nodeIo.err()).toContain("asm node: cli-node ready");

    const list = captureIo();
    expect(await main(["nodes", "--nats", nats.url, "--json"], list)).toBe(0);
    const nodes = list.out().trim().split("\n").map((line) => JSON.parse(line) as { node: string; max_runs: number; labels: Record<string, string> });
    expect(nodes).toEqual([expect.objectContaining({ node: "cli-node", max_runs: 2, labels: { gpu: "none" } })]);

    const run = captureIo();
    const code = await main(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), "--json", "--remote", "cli-node", "--nats", nats.url], run);
    const events = run.out().trim().split("\n").map((line) => JSON.parse(line) as { kind: string; metadata: Record<string, unknown> });
    expect(code).toBe(0);
    expect(events[0]).toMatchObject({ kind: "run_started", metadata: { executionMode: "remote_node", backend: "remote:claude" } });
    expect(events.filter((event) => event.kind === "result")).toHaveLength(1);

    const durable = captureIo();
    expect(await main(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), "--json", "--remote", "cli-node", "--nats", nats.url, "--durable"], durable)).toBe(0);
    const live = durable.out().trim().split("\n").map((line) => JSON.parse(line) as { kind: string; runId: string; payload: unknown });
    expect(live.filter((event) => event.kind === "result")).toHaveLength(1);

    // The durable run read back from the node's log gives the events the live run printed.
    const runId = live[0]!.runId;
    const history = captureIo();
    expect(await main(["history", "--nats", nats.url, "--run", runId, "--provider", "claude", "--json"], history)).toBe(0);
    const replayed = history.out().trim().split("\n").map((line) => JSON.parse(line) as { kind: string; payload: unknown; metadata: Record<string, unknown> });
    const shape = (event: { kind: string; payload: unknown }) => ({ kind: event.kind, payload: event.payload });
    expect(replayed.map(shape)).toEqual(live.filter((event) => event.kind !== "run_started" && event.kind !== "run_completed").map(shape));
    expect(replayed[0]?.metadata).toMatchObject({ node: "cli-node", source: "durable_log" });
    expect(history.err()).toContain(`run ${runId} on node cli-node, ended (exit 0)`);
    const rendered = captureIo();
    expect(await main(["history", "--nats", nats.url, "--run", runId, "--provider", "claude", "--no-color"], rendered)).toBe(0);
    expect(rendered.out()).toContain("t+Bash");
    const unnamed = captureIo();
    expect(await main(["history", "--nats", nats.url, "--run", runId], unnamed)).toBe(2);
    expect(unnamed.err()).toContain("--provider");
    const unknown = captureIo();
    expect(await main(["history", "--nats", nats.url, "--run", "no-such-run", "--provider", "claude"], unknown)).toBe(9);

    const missing = captureIo();
    expect(await main(["run", "x", "--provider", "claude", "--remote", "absent", "--nats", nats.url], missing)).not.toBe(0);
    expect(missing.out() + missing.err()).toContain("remote_not_ready");

    interrupt?.();
    expect(await serving).toBe(0);
    expect(nodeIo.err()).toContain("asm node: cli-node stopped");
  });

  it("refuses --remote without --nats, and a bad node name, as usage or config errors", async () => {
    const io = captureIo();
    expect(await main(["run", "x", "--provider", "claude", "--remote", "n1"], io)).toBe(2);
    expect(io.err()).toContain("--remote needs --nats");
    const orphan = captureIo();
    expect(await main(["run", "x", "--provider", "claude", "--durable"], orphan)).toBe(2);
    const bad = captureIo();
    expect(await main(["node", "--nats", nats.url, "--name", "a.b"], bad)).toBe(3);
    expect(bad.err()).toContain("config_invalid");
  });
});
