import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { isAsmError, isOutcomeEvent, type AsmEvent, type ProviderDefinition } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { claudeCliPath } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { listProcesses, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";

// The real `claude` binary driven THROUGH ASM (kernel + core lane + Claude profile) against the
// fake Anthropic server: normalized events, approvals over the control protocol, error codes,
// resume, interrupt, and no process left behind.

// Loaded dynamically so this file reports a clear reason (instead of failing to import) while the
// provider package does not export its definition.
const claudeModule = (await import("@asm/claude")) as Record<string, unknown>;
const claude = typeof claudeModule.claude === "function" ? (claudeModule.claude as () => ProviderDefinition) : null;

/** Why the kernel cannot run claude on its core lane, or null when it can. */
async function coreLaneProblem(): Promise<string | null> {
  if (claude === null) return "@asm/claude does not export claude() yet";
  try {
    await createAsm({ providers: [claude()] }).resolve("claude", { lane: "core" });
    return null;
  } catch (error) {
    return `the kernel cannot run claude on the core lane: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const cliPath = claudeCliPath();
const laneProblem = await coreLaneProblem();
const gate = requireAlso(realCliGate("claude", cliPath), laneProblem === null, laneProblem ?? "");

function assistantText(events: AsmEvent[]): string {
  return ofKind(events, "assistant_message")
    .flatMap((event) => event.payload.content)
    .map((block) => (block.type === "text" && "text" in block ? String(block.text) : ""))
    .join("");
}

describeRealCli("real claude through ASM", gate, () => {
  let harness: ClaudeHarness;
  let asm: Asm;

  beforeEach(async () => {
    harness = await startClaudeHarness(cliPath as string);
    asm = createAsm({ providers: [(claude as () => ProviderDefinition)()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const leftovers = await harness.dispose();
    expect(leftovers, "processes left behind by the test").toEqual([]);
  });

  function startSession(permissionMode: "bypass" | "default", maxRetries?: number) {
    return asm.startSession({
      provider: "claude",
      permissionMode,
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env(maxRetries === undefined ? {} : { maxRetries }),
    });
  }

  it("streams a text answer as normalized events, then resumes the session on the next prompt", async () => {
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    const started = ofKind(events, "run_started")[0];
    expect(started?.payload.cwd).toBe(harness.dirs.cwd);
    expect(started?.payload.command).toBe(realpathSync(harness.cliPath));
    expect(assistantText(events)).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ofKind(events, "session_updated")[0]?.payload.providerSessionId).toBe(result?.providerSessionId);
    expect(ofKind(events, "cost_update").length).toBeGreaterThan(0);
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("completed");

    harness.api.script((turn) => anthropicReplies.text(`OK again (${turn.body.messages?.length ?? 0} messages)`));
    const second = await session.query("Say OK again");
    expect(second.status).toBe("completed");
    expect(second.text).toMatch(/^OK again/);
    expect(second.providerSessionId).toBe(result?.providerSessionId);
    expect(harness.api.turns).toHaveLength(2);
    const resumed = harness.api.turns[1];
    const conversation = (resumed?.body.messages ?? []).filter((message) => message.role === "user" || message.role === "assistant");
    expect(JSON.stringify(conversation)).toContain("Say OK");
    expect(conversation).toContainEqual(expect.objectContaining({ role: "assistant" }));
    expect(resumed?.lastUserText).toContain("Say OK again");
  });

  it("streams text fragments whose raw is the CLI's own line, read without parsing it up front", async () => {
    harness.api.script(() => anthropicReplies.text("Fragments of a longer answer, streamed."));
    const session = await asm.startSession({
      provider: "claude",
      permissionMode: "bypass",
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env(),
      includePartialMessages: true,
    });
    const events = await collectEvents(session.stream("Say something"));
    expectWellFormedRun(events);
    const deltas = ofKind(events, "assistant_delta");
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((event) => event.payload.content).join("")).toBe("Fragments of a longer answer, streamed.");
    for (const delta of deltas) {
      // The layout Claude Code prints is the one the provider reads from text: its raw is parsed
      // only on first read. A Claude Code that changed the layout would still work, parsed.
      const readsLazily = typeof Object.getOwnPropertyDescriptor(delta, "raw")?.get === "function";
      expect(readsLazily, "a fragment the provider had to parse").toBe(true);
      expect(delta.raw).toMatchObject({ type: "stream_event", event: { type: "content_block_delta", delta: { type: "text_delta", text: delta.payload.content } } });
      expect((JSON.parse(JSON.stringify(delta)) as { raw: unknown }).raw).toEqual(delta.raw);
    }
  });

  it("runs a Bash tool call in bypass mode", async () => {
    harness.api.respondWith(
      anthropicReplies.toolThenText("Bash", { command: "echo hi", description: "Print hi" }, (results) => `The command printed: ${results[0]?.text ?? ""}`),
    );
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Run echo hi in the shell"));
    expectWellFormedRun(events);
    const toolUse = ofKind(events, "tool_use")[0];
    expect(toolUse?.payload).toMatchObject({ toolName: "Bash", toolCallId: "toolu_fake_1", input: { command: "echo hi" } });
    const toolResult = ofKind(events, "tool_result")[0];
    expect(toolResult?.payload).toMatchObject({ toolCallId: "toolu_fake_1", isError: false });
    expect(JSON.stringify(toolResult?.payload.content)).toContain("hi");
    expect(ofKind(events, "approval_requested")).toHaveLength(0);
    expect(ofKind(events, "result")[0]?.payload.text).toBe("The command printed: hi");
  });

  for (const decision of ["allow", "deny"] as const) {
    it(`asks for approval in default mode and applies "${decision}"`, async () => {
      // A command that writes: read-only commands are allowed without asking.
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
      const resolved = ofKind(events, "approval_resolved");
      expect(resolved).toEqual([expect.objectContaining({ payload: expect.objectContaining({ approvalId: requested[0]?.payload.approvalId, decision }) })]);
      const toolResult = ofKind(events, "tool_result")[0];
      const sentBack = harness.api.turns[1]?.toolResults[0];
      if (decision === "allow") {
        expect(toolResult?.payload.isError).toBe(false);
        expect(sentBack).toMatchObject({ isError: false, text: "hi" });
        expect(existsSync(join(harness.dirs.cwd, "hi.txt"))).toBe(true);
      } else {
        expect(toolResult?.payload.isError).toBe(true);
        expect(sentBack?.isError).toBe(true);
        expect(existsSync(join(harness.dirs.cwd, "hi.txt"))).toBe(false);
      }
    });
  }

  it("passes allowRules to claude as --allowedTools: a matching command runs in default mode without asking", async () => {
    harness.api.respondWith(
      anthropicReplies.toolThenText("Bash", { command: "touch ruled.txt", description: "Create ruled.txt" }, (results) =>
        `Tool result (is_error=${String(results[0]?.isError)})`,
      ),
    );
    const session = await asm.startSession({
      provider: "claude",
      permissionMode: "default",
      cwd: harness.dirs.cwd,
      cliPath: harness.cliPath,
      env: harness.env(),
      allowRules: ["Bash(touch *)"],
    });
    const events = await collectEvents(session.stream("Run `touch ruled.txt` in the shell"), async (event) => {
      // Without the rule reaching claude, it would ask; answering "deny" makes that visible.
      if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, "deny");
    });
    expectWellFormedRun(events);
    expect(ofKind(events, "run_started")[0]?.payload.args).toContain("--allowedTools=Bash(touch *)");
    expect(ofKind(events, "approval_requested")).toHaveLength(0);
    expect(ofKind(events, "tool_result")[0]?.payload.isError).toBe(false);
    expect(existsSync(join(harness.dirs.cwd, "ruled.txt"))).toBe(true);
  });

  it("refuses a permission rule in the kernel's allowedTools before claude starts", async () => {
    const failure = await asm
      .query("claude", "Say OK", { cwd: harness.dirs.cwd, cliPath: harness.cliPath, env: harness.env(), allowedTools: ["Bash(git *)"] })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ code: "config_invalid", message: expect.stringContaining("allowRules") });
    expect(harness.api.turns).toHaveLength(0);
  });

  it("rejects with auth_error on a 401", async () => {
    harness.api.respondWith(() => anthropicReplies.error(401));
    const session = await startSession("bypass", 1);
    const failure = await session.query("Say OK").then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAsmError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "auth_error", provider: "claude" });
    expect(harness.api.turns.length).toBeGreaterThanOrEqual(1);
  });

  it("ends a 401 run with auth_error at the first refusal, without Claude Code's default retries", async () => {
    harness.api.respondWith(() => anthropicReplies.error(401));
    // No CLAUDE_CODE_MAX_RETRIES: left alone, Claude Code retries a 401 about ten times with backoff.
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    const outcomes = events.filter(isOutcomeEvent);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.payload).toMatchObject({ code: "auth_error", retryable: false });
    // The run ended after the first refused request and its first retry notice, not after all retries.
    expect(harness.api.turns.length).toBeLessThanOrEqual(2);
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("failed");
  });

  it("ends with a terminal error on a 500", async () => {
    harness.api.respondWith(() => anthropicReplies.error(500, { headers: { "request-id": "req_fake_500" } }));
    const session = await startSession("bypass", 1);
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    const errors = ofKind(events, "error").filter(isOutcomeEvent);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.payload.code).toBe("transport_error");
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("failed");
  });

  it("interrupts a run in the middle of a tool call and leaves no process behind", async () => {
    // A unique duration identifies this test's sleep in `ps`. Claude refuses a standalone long
    // `sleep`, hence the `echo` before it.
    const sleepArg = `30.${Math.floor(100 + Math.random() * 899)}`;
    harness.api.respondWith(
      anthropicReplies.toolThenText("Bash", { command: `echo waiting && sleep ${sleepArg}`, description: "Wait" }, "Done waiting."),
    );
    const sleeping = () => listProcesses().filter((row) => row.args.includes(`sleep ${sleepArg}`));
    const session = await startSession("bypass");
    const stream = session.stream("Wait in the shell");
    let interrupted = false;
    const events = await collectEvents(stream, async (event) => {
      if (event.kind !== "tool_use" || interrupted) return;
      interrupted = true;
      // Interrupt only once the tool's process really runs.
      for (let attempt = 0; attempt < 100 && sleeping().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sleeping().length).toBeGreaterThan(0);
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
});
