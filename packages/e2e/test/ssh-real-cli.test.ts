import { randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { createServer } from "node:net";
import { claude } from "@asm/claude";
import { isAsmError, isOutcomeEvent, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { sshdInstalled, startLoopbackSshd, type LoopbackSshd } from "@asm/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { assistantText, collectEvents, expectWellFormedRun, ofKind, rejectionOf } from "../src/asm-events.js";
import { claudeCliPath } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { listProcesses, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";

// The real `claude` binary driven through ASM on the `ssh_exec` surface: the core lane runs it
// over `ssh` against a real OpenSSH server on 127.0.0.1 (this machine is the "remote host"), and
// claude talks to the fake Anthropic server on loopback.

/** A loopback port nothing listens on (one the kernel just handed out and that was released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1));
    });
  });
}

const cliPath = claudeCliPath();
const gate = requireAlso(realCliGate("claude", cliPath), sshdInstalled(), "sshd is not installed (Debian: apt-get install openssh-server)");

describeRealCli("real claude through ASM over ssh_exec", gate, () => {
  let sshd: LoopbackSshd;
  let harness: ClaudeHarness;
  let asm: Asm;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
    asm = createAsm({ providers: [claude()] });
  });

  afterEach(async () => {
    await asm.dispose();
    expect(await waitUntilGone(sshClients, 5_000), "ssh clients left behind").toEqual([]);
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  /** Local `ssh` clients connected to the test's sshd (the run's client and its signal connections). */
  function sshClients() {
    return listProcesses().filter((row) => /^(\S*\/)?ssh\s/.test(row.args) && row.args.includes(` -p ${String(sshd.transport.port)} `));
  }

  function surface() {
    return {
      kind: "ssh_exec" as const,
      transportOptions: {
        destination: "127.0.0.1",
        port: sshd.transport.port,
        user: sshd.transport.user,
        identityFile: sshd.transport.identityFile,
        batchMode: true,
        connectTimeoutSeconds: 5,
        options: { StrictHostKeyChecking: "no", UserKnownHostsFile: "/dev/null", LogLevel: "ERROR" },
      },
      observability: { host: "loopback-sshd" },
    };
  }

  function startSession(options: Record<string, unknown> = {}) {
    return asm.startSession({
      provider: "claude",
      permissionMode: "bypass",
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env({ maxRetries: 1 }),
      executionSurface: surface(),
      ...options,
    });
  }

  it("streams a text answer from the remote CLI with lane and surface metadata", async () => {
    const session = await startSession();
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    const started = ofKind(events, "run_started")[0];
    expect(started?.payload).toMatchObject({ command: harness.cliPath, cwd: harness.dirs.cwd });
    expect(started?.metadata).toMatchObject({
      lane: "core",
      backend: "core:claude",
      executionSurface: "ssh_exec",
      backendRuntime: "ssh_exec",
      surface: "ssh_exec",
      host: "loopback-sshd",
    });
    for (const event of events) expect(event.metadata).toMatchObject({ lane: "core", executionSurface: "ssh_exec" });
    expect(assistantText(events)).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("completed");
    expect(harness.api.turns).toHaveLength(1);
  });

  it("fails with config_invalid, before claude starts, when the working directory is missing on the remote host", async () => {
    const missing = `/nonexistent-asm-e2e-${randomUUID()}`;
    const session = await startSession({ cwd: missing });
    const stream = session.stream("Say OK");
    const events = await collectEvents(stream);
    // The kernel's shape for a backend that could not start: the outcome, then run_completed.
    expect(events.map((event) => event.kind)).toEqual(["error", "run_completed"]);
    expect(events[0]?.payload).toMatchObject({ code: "config_invalid", message: expect.stringContaining(`cannot use working directory ${missing} on 127.0.0.1`) });
    expect(ofKind(events, "run_completed")[0]?.payload).toMatchObject({ status: "failed", error: { code: "config_invalid" } });
    const failure = await rejectionOf(session.query("Say OK"));
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "config_invalid", provider: "claude" });
    expect(harness.api.turns).toHaveLength(0);
  });

  it("fails with connection_failed when sshd cannot be reached", async () => {
    const unreachable = { ...surface(), transportOptions: { ...surface().transportOptions, port: await closedPort() } };
    const session = await startSession({ executionSurface: unreachable });
    const failure = await rejectionOf(session.query("Say OK"));
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "connection_failed", provider: "claude", message: expect.stringContaining("Connection refused") });
    expect(harness.api.turns).toHaveLength(0);
  });

  it("reports a CLI missing on the remote host as cli_not_found", async () => {
    const session = await startSession({ cliPath: `/nonexistent-asm-e2e-${randomUUID()}/claude` });
    const failure = await rejectionOf(session.query("Say OK"));
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "cli_not_found", provider: "claude" });
    expect(harness.api.turns).toHaveLength(0);
  });

  it("interrupts the remote CLI in the middle of a tool call and leaves no remote process", async () => {
    const sleepArg = `30.${Math.floor(100 + Math.random() * 899)}`;
    harness.api.respondWith(anthropicReplies.toolThenText("Bash", { command: `echo waiting && sleep ${sleepArg}`, description: "Wait" }, "Done waiting."));
    const sleeping = () => listProcesses().filter((row) => row.args.includes(`sleep ${sleepArg}`));
    const session = await startSession();
    const stream = session.stream("Wait in the shell");
    let interrupted = false;
    const events = await collectEvents(stream, async (event: AsmEvent) => {
      if (event.kind !== "tool_use" || interrupted) return;
      interrupted = true;
      for (let attempt = 0; attempt < 100 && sleeping().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sleeping().length).toBeGreaterThan(0);
      // The CLI really runs under sshd: the remote shell exec'd it (so its parent is sshd's session
      // process and it leads its own group), in the run's working directory.
      const rows = listProcesses();
      const remoteCli = (await harness.leftovers(0)).find((row) => row.args.startsWith(harness.cliPath));
      expect(remoteCli).toBeDefined();
      expect(rows.find((row) => row.pid === remoteCli?.ppid)?.args).toMatch(/^sshd/);
      expect(remoteCli?.pgid).toBe(remoteCli?.pid);
      expect(realpathSync(`/proc/${String(remoteCli?.pid)}/cwd`)).toBe(realpathSync(harness.dirs.cwd));
      expect(sshClients().length).toBeGreaterThan(0);
      await asm.interrupt(stream.runId);
    });
    expect(interrupted).toBe(true);
    expectWellFormedRun(events);
    const outcome = events.filter(isOutcomeEvent)[0];
    expect(outcome?.kind).toBe("error");
    expect(outcome?.payload).toMatchObject({ code: "user_cancelled" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("interrupted");
    expect(await waitUntilGone(sleeping, 10_000)).toEqual([]);
    expect(await harness.leftovers(10_000)).toEqual([]);
  });

  const awkward = [
    `It's "double" and 'single' quoted; $HOME \${PATH} $(id -u) \`uname\` !! \\ backslash`,
    "line two\twith a tab; echo not-a-command > /dev/null",
    "  indented line three — ünïcødé 🚀 %s %n",
  ].join("\n");

  for (const [label, controlProtocol] of [
    ["piped on stdin", false],
    ["on the control protocol", true],
  ] as const) {
    it(`delivers a prompt with quotes, $, backticks and newlines byte for byte (${label})`, async () => {
      const session = await startSession({ controlProtocol });
      const events = await collectEvents(session.stream(awkward));
      expectWellFormedRun(events);
      const args = ofKind(events, "run_started")[0]?.payload.args ?? [];
      // The prompt never travels on the remote command line: piped on stdin, or in a control line.
      if (controlProtocol) expect(args).toContain("--input-format");
      expect(args).not.toContain("<prompt>");
      expect(args.join(" ")).not.toContain("double");
      expect(ofKind(events, "result")[0]?.payload.status).toBe("success");
      expect(harness.api.turns).toHaveLength(1);
      const content = harness.api.turns[0]?.lastUserMessage?.content;
      // Claude Code sends the prompt as a text block of its own, after its system reminders.
      const texts = typeof content === "string" ? [content] : (content ?? []).map((block) => (block.type === "text" ? block.text : undefined));
      expect(texts).toContain(awkward);
    });
  }
});
