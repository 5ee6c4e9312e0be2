import { claude } from "@asm/claude";
import { isOutcomeEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { createRemoteClient, startRemoteNode, type RemoteClient, type RemoteNode } from "@asm/remote";
import { natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { assistantText, collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";
import { claudeCliPath } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { listProcesses, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";

// The real `claude` binary on a remote node: a real nats-server on a random loopback port, a node
// daemon connected to it, and the kernel in this process driving claude through the node with
// `executionMode: "remote_node"`; claude talks to the fake Anthropic server on loopback.

const cliPath = claudeCliPath();
const gate = requireAlso(realCliGate("claude", cliPath), natsServerInstalled(), "nats-server is not installed (Debian: apt-get install nats-server)");

describeRealCli("real claude through a remote node over NATS", gate, () => {
  let nats: PrivateNatsServer;
  let node: RemoteNode;
  let remote: RemoteClient;
  let harness: ClaudeHarness;
  let asm: Asm;

  beforeAll(async () => {
    nats = await startPrivateNatsServer({ jetstream: true });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
    node = await startRemoteNode({ name: "e2e-node", nats: { servers: nats.url }, stateDir: harness.dirs.tmpDir, heartbeatMs: 200 });
    remote = createRemoteClient({ nats: { servers: nats.url } });
    asm = createAsm({ providers: [claude()], config: { remoteBackend: remote.remoteBackend } });
  });

  afterEach(async () => {
    await asm.dispose();
    await remote.close();
    await node.stop();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind on the node").toEqual([]);
  });

  function startSession(permissionMode: "bypass" | "default") {
    return asm.startSession({
      provider: "claude",
      permissionMode,
      executionMode: "remote_node",
      remote: { node: "e2e-node" },
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env({ maxRetries: 1 }),
    });
  }

  it("streams a text answer from claude on the node, then resumes the session", async () => {
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(ofKind(events, "run_started")[0]?.metadata).toMatchObject({ lane: "core", backend: "remote:claude", executionMode: "remote_node" });
    expect(assistantText(events)).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    const second = await session.query("Say OK again");
    expect(second.status).toBe("completed");
    expect(second.providerSessionId).toBe(result?.providerSessionId);
    expect(harness.api.turns).toHaveLength(2);
    expect(node.activeRuns()).toBe(0);
  });

  for (const decision of ["allow", "deny"] as const) {
    it(`carries an approval across the wire and applies "${decision}"`, async () => {
      harness.api.respondWith(
        anthropicReplies.toolThenText("Bash", { command: "touch hi.txt && echo hi", description: "Create hi.txt" }, (results) =>
          `Tool result (is_error=${String(results[0]?.isError)}): ${results[0]?.text ?? ""}`,
        ),
      );
      const session = await startSession("default");
      const events = await collectEvents(session.stream("Run `touch hi.txt && echo hi` in the shell"), async (event) => {
        if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, decision);
      });
      expectWellFormedRun(events);
      expect(ofKind(events, "approval_requested")).toHaveLength(1);
      expect(ofKind(events, "approval_resolved")[0]?.payload).toMatchObject({ decision });
      expect(harness.api.turns[1]?.toolResults[0]?.isError).toBe(decision === "deny");
    });
  }

  it("interrupts claude on the node while its tool runs, leaving nothing behind", async () => {
    const sleepArg = `30.${Math.floor(100 + Math.random() * 899)}`;
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: `echo waiting && sleep ${sleepArg}`, description: "Wait" }, "Done waiting."));
    const sleeping = () => listProcesses().filter((row) => row.args.includes(`sleep ${sleepArg}`));
    const session = await startSession("bypass");
    const stream = session.stream("Wait in the shell");
    let interrupted = false;
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "tool_use" || interrupted) return;
      interrupted = true;
      for (let attempt = 0; attempt < 100 && sleeping().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sleeping().length).toBeGreaterThan(0);
      await asm.interrupt(stream.runId);
    });
    expect(interrupted).toBe(true);
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "user_cancelled" });
    expect(await waitUntilGone(sleeping, 10_000)).toEqual([]);
  });

  it("ends the run with one transport_error when the node stops mid-run, and kills claude", async () => {
    const sleepArg = `30.${Math.floor(100 + Math.random() * 899)}`;
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: `echo waiting && sleep ${sleepArg}`, description: "Wait" }, "Done waiting."));
    const sleeping = () => listProcesses().filter((row) => row.args.includes(`sleep ${sleepArg}`));
    const session = await startSession("bypass");
    let stopped = false;
    const events = await collectEvents(session.stream("Wait in the shell"), async (event) => {
      if (event.kind !== "tool_use" || stopped) return;
      stopped = true;
      for (let attempt = 0; attempt < 100 && sleeping().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      await node.stop("SIGTERM");
    });
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)).toHaveLength(1);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "transport_error" });
    expect(await waitUntilGone(sleeping, 10_000)).toEqual([]);
  });
});
