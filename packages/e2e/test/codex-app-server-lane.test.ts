import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isOutcomeEvent } from "@asm/contract";
import { codex } from "@asm/codex";
import { createAsm, type Asm } from "@asm/core";
import { codexAppServerLane } from "@asm/sdk-codex";
import { fakeCodexConfigToml, openAIResponsesReplies as replies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { processesWithEnv, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// The real `codex app-server` (@openai/codex 0.169.0) driven by ASM's Codex SDK lane over JSON-RPC
// stdio, against the fake OpenAI Responses server: text, an approval round trip both ways,
// turn/interrupt, and resuming a thread by id.

const MARKER_VAR = "ASM_E2E_MARKER";

const cliPath = pinnedCodexPath();
const gate = realCliGate("codex", cliPath);

describeRealCli("real codex app-server through the Codex SDK lane", gate, () => {
  let api: FakeOpenAIResponsesServer;
  let dirs: ThrowawayDirs;
  let env: Record<string, string>;
  let marker: string;
  let asm: Asm;

  beforeEach(async () => {
    api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    dirs = await createThrowawayDirs("asm-e2e-codex-app-");
    const codexHome = join(dirs.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0 }));
    marker = randomUUID();
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      SHELL: "/bin/bash",
      HOME: dirs.home,
      CODEX_HOME: codexHome,
      TMPDIR: dirs.tmpDir,
      FAKE_OPENAI_API_KEY: "dummy",
      RUST_LOG: "warn",
      [MARKER_VAR]: marker,
    };
    asm = createAsm({ providers: [codex()], lanes: [codexAppServerLane()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const left = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 10_000);
    await api.close();
    await dirs.cleanup();
    expect(left, "processes left behind").toEqual([]);
  });

  function startSession(permissionMode: "default" | "bypass") {
    return asm.startSession({ provider: "codex", lane: "sdk", permissionMode, cwd: dirs.cwd, cliPath: cliPath as string, env });
  }

  it("answers with text, then resumes the thread by id in a new session", async () => {
    api.respondWith(() => replies.text("OK"));
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK" });
    expect(result?.metadata).toMatchObject({ lane: "sdk", backend: "sdk:codex", sdkRuntime: "codex app-server" });
    expect(ofKind(events, "assistant_delta").map((event) => event.payload.content).join("")).toBe("OK");
    const threadId = result?.providerSessionId as string;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    await session.stop();

    api.respondWith(() => replies.text("resumed"));
    const next = await startSession("bypass");
    const resumed = await next.query("Continue", { continuation: { strategy: "exact", providerSessionId: threadId } });
    expect(resumed.text).toBe("resumed");
    expect(resumed.providerSessionId).toBe(threadId);
    expect(JSON.stringify(api.turns.at(-1)?.body ?? {})).toContain("Say OK");
  });

  for (const decision of ["allow", "deny"] as const) {
    it(`asks for approval in the default mode and applies "${decision}"`, async () => {
      api.respondWith(replies.shellThenText("touch hi.txt && echo hi", (outputs) => `output: ${outputs[0]?.output ?? ""}`));
      const session = await startSession("default");
      const events = await collectEvents(session.stream("Run touch hi.txt"), async (event) => {
        if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, decision);
      });
      expectWellFormedRun(events);
      const requested = ofKind(events, "approval_requested");
      expect(requested.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(requested[0]?.payload.details)).toContain("touch hi.txt");
      expect(ofKind(events, "approval_resolved")[0]?.payload.decision).toBe(decision);
      expect(existsSync(join(dirs.cwd, "hi.txt"))).toBe(decision === "allow");
    });
  }

  it("interrupts a turn with turn/interrupt and the thread takes the next turn", async () => {
    api.respondWith(replies.shellThenText("sleep 30", "done"));
    const session = await startSession("bypass");
    const stream = session.stream("Wait in the shell");
    let interrupted = false;
    const events = await collectEvents(stream, async (event) => {
      if (event.kind === "tool_use" && !interrupted) {
        interrupted = true;
        await asm.interrupt(stream.runId);
      }
    });
    expect(interrupted).toBe(true);
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "user_cancelled" });
    api.respondWith(() => replies.text("still here"));
    const next = await session.query("Are you there?");
    expect(next.text).toBe("still here");
  });
});
