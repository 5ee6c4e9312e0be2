import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isAsmError, isOutcomeEvent } from "@asm/contract";
import { claude } from "@asm/claude";
import { createAsm, type Asm } from "@asm/core";
import { claudeSdkLane } from "@asm/sdk-claude";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { runCli } from "../src/run-cli.js";
import { listProcesses, processesWithEnv, waitUntilGone } from "../src/processes.js";
import { claudeCliPath, MARKER_VAR } from "../src/claude-env.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { assistantText, collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";

// The real Claude Agent SDK (@anthropic-ai/claude-agent-sdk, the version matching the pinned CLI)
// driving the real pinned `claude` through ASM's SDK lane, against the fake Anthropic server:
// one live query() per session, approvals through canUseTool, graceful interrupt, resume, errors.

const cliPath = claudeCliPath();
const lane = claudeSdkLane();
const availability = await lane.probe();
const gate = requireAlso(realCliGate("claude", cliPath), availability.available, `the Claude Agent SDK cannot load: ${availability.reason ?? ""}`);

describeRealCli("real claude through the Claude Agent SDK lane", gate, () => {
  let harness: ClaudeHarness;
  let asm: Asm;

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
    asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  function startSession(permissionMode: "bypass" | "default", maxRetries?: number) {
    return asm.startSession({
      provider: "claude",
      lane: "sdk",
      permissionMode,
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env(maxRetries === undefined ? {} : { maxRetries }),
    });
  }

  it("answers with text on the sdk lane, then takes a second turn on the same process", async () => {
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(assistantText(events)).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.metadata).toMatchObject({ lane: "sdk", requestedLane: "sdk", backend: "sdk:claude", sdkRuntime: "@anthropic-ai/claude-agent-sdk" });
    expect(result?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    const firstPid = ofKind(events, "run_started")[0]?.metadata.backendRuntime;
    expect(firstPid).toBe("claude-agent-sdk");
    const claudes = () => processesWithEnv(MARKER_VAR, harness.marker).filter((row) => row.args.includes("--input-format"));
    const before = claudes().map((row) => row.pid);
    expect(before).toHaveLength(1);

    harness.api.script((turn) => anthropicReplies.text(`OK again (${turn.body.messages?.length ?? 0} messages)`));
    const second = await session.query("Say OK again");
    expect(second.status).toBe("completed");
    expect(second.text).toMatch(/^OK again/);
    expect(second.providerSessionId).toBe(result?.providerSessionId);
    // The same process took the follow-up: no new claude was started.
    expect(claudes().map((row) => row.pid)).toEqual(before);
    const conversation = JSON.stringify(harness.api.turns[1]?.body.messages ?? []);
    expect(conversation).toContain("Say OK");
    expect(harness.api.turns[1]?.lastUserText).toContain("Say OK again");
  });

  it("runs a Bash tool call in bypass mode", async () => {
    harness.api.respondWith(
      anthropicReplies.toolThenText("Bash", { command: "echo hi", description: "Print hi" }, (results) => `The command printed: ${results[0]?.text ?? ""}`),
    );
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Run echo hi in the shell"));
    expectWellFormedRun(events);
    expect(ofKind(events, "tool_use")[0]?.payload).toMatchObject({ toolName: "Bash", toolCallId: "toolu_fake_1", input: { command: "echo hi" } });
    expect(ofKind(events, "tool_result")[0]?.payload).toMatchObject({ toolCallId: "toolu_fake_1", isError: false });
    expect(ofKind(events, "result")[0]?.payload.text).toBe("The command printed: hi");
  });

  for (const decision of ["allow", "deny"] as const) {
    it(`asks through canUseTool in default mode and applies "${decision}"`, async () => {
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
      const requested = ofKind(events, "approval_requested");
      expect(requested).toHaveLength(1);
      expect(requested[0]?.payload.subject).toBe("Bash");
      expect(JSON.stringify(requested[0]?.payload.details)).toContain("touch hi.txt && echo hi");
      expect(ofKind(events, "approval_resolved")).toEqual([expect.objectContaining({ payload: expect.objectContaining({ decision }) })]);
      // The CLI saw the decision: the tool ran, or the model got the denial as the tool's error.
      const sentBack = harness.api.turns[1]?.toolResults[0];
      if (decision === "allow") {
        expect(sentBack).toMatchObject({ isError: false, text: "hi" });
        expect(existsSync(join(harness.dirs.cwd, "hi.txt"))).toBe(true);
      } else {
        expect(sentBack?.isError).toBe(true);
        expect(sentBack?.text).toContain("denied");
        expect(existsSync(join(harness.dirs.cwd, "hi.txt"))).toBe(false);
      }
    });
  }

  it("interrupts mid-turn gracefully: the process stays and takes the next turn", async () => {
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
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("interrupted");
    expect(await waitUntilGone(sleeping, 10_000)).toEqual([]);

    harness.api.respondWith(() => anthropicReplies.text("still here"));
    const next = await session.query("Are you there?");
    expect(next.status).toBe("completed");
    expect(next.text).toBe("still here");
  });

  it("resumes a session by id in a new ASM session", async () => {
    const first = await startSession("bypass");
    const result = await first.query("Say OK");
    await first.stop();
    expect(await harness.leftovers(10_000)).toEqual([]);
    harness.api.respondWith(() => anthropicReplies.text("resumed"));
    const second = await startSession("bypass");
    const resumed = await second.query("Continue", { continuation: { strategy: "exact", providerSessionId: result.providerSessionId as string } });
    expect(resumed.text).toBe("resumed");
    expect(resumed.providerSessionId).toBe(result.providerSessionId);
    expect(JSON.stringify(harness.api.turns[1]?.body.messages ?? [])).toContain("Say OK");
  });

  it("asm run --provider claude --lane sdk --json returns the result with lane sdk in its metadata", async () => {
    // The asm command from this repository's sources, as `pnpm asm` would run it once built.
    const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "cli", "src", "bin", "asm.ts");
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const run = await runCli(process.execPath, {
      args: ["--conditions=@asm/source", "--import", tsx, bin, "run", "Say OK", "--provider", "claude", "--lane", "sdk", "--json", "--cli-path", harness.cliPath, "--permission-mode", "bypass"],
      cwd: harness.dirs.cwd,
      env: { ...harness.env(), NO_COLOR: "1" },
      timeoutMs: 60_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { kind: string; payload: Record<string, unknown>; metadata: Record<string, unknown> });
    const result = events.find((event) => event.kind === "result");
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.metadata).toMatchObject({ lane: "sdk", requestedLane: "sdk", backend: "sdk:claude" });
    expect(events.at(-1)?.kind).toBe("run_completed");
  });

  it("classifies a 401 as auth_error", async () => {
    harness.api.respondWith(() => anthropicReplies.error(401));
    const session = await startSession("bypass", 1);
    const failure = await session.query("Say OK").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "auth_error", provider: "claude" });
  });
});
