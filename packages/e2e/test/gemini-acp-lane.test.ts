import { randomUUID } from "node:crypto";
import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isOutcomeEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import { geminiAcpLane } from "@asm/sdk-gemini";
import { geminiCliEnv, geminiReplies, shellOutput, startFakeGemini, writeGeminiCliSettings, type FakeGeminiServer } from "@asm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MARKER_VAR } from "../src/claude-env.js";
import { processesWithEnv, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { assistantText, collectEvents, expectWellFormedRun, ofKind } from "../src/asm-events.js";

// The real `gemini --acp` (@google/gemini-cli 0.61.0) driven through the real ACP SDK
// (@agentclientprotocol/sdk 2.4.0) by ASM's Gemini SDK lane, against the fake Gemini API:
// text, a permission request answered both ways, cancel, a second prompt on the same process.

function geminiCliPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@google/gemini-cli/package.json");
    const manifest = require(manifestPath) as { bin?: Record<string, string> };
    const binary = join(dirname(manifestPath), manifest.bin?.gemini ?? "bundle/gemini.js");
    accessSync(binary, constants.X_OK);
    return binary;
  } catch (_error) {
    return null;
  }
}

const cliPath = geminiCliPath();
const availability = await geminiAcpLane().probe();
const gate = requireAlso(realCliGate("gemini", cliPath), availability.available, `the ACP SDK cannot load: ${availability.reason ?? ""}`);

describeRealCli("real gemini --acp through the ACP lane", gate, () => {
  let api: FakeGeminiServer;
  let dirs: ThrowawayDirs;
  let marker: string;
  let asm: Asm;

  beforeEach(async () => {
    api = await startFakeGemini();
    dirs = await createThrowawayDirs("asm-e2e-gemini-acp-");
    await writeGeminiCliSettings(dirs.home, { maxAttempts: 1 });
    marker = randomUUID();
    asm = createAsm({ providers: [gemini()], lanes: [geminiAcpLane()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const left = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 10_000);
    await api.close();
    await dirs.cleanup();
    expect(left, "processes left behind").toEqual([]);
  });

  function startSession(permissionMode: "default" | "bypass") {
    return asm.startSession({
      provider: "gemini",
      lane: "sdk",
      permissionMode,
      cwd: dirs.cwd,
      cliPath: cliPath as string,
      env: { ...geminiCliEnv({ baseUrl: api.url, home: dirs.home, tmpdir: dirs.tmpDir }), [MARKER_VAR]: marker },
    });
  }

  it("answers with text, then takes a second prompt on the same agent process", async () => {
    api.respondWith(() => geminiReplies.text("OK"));
    const session = await startSession("bypass");
    const events = await collectEvents(session.stream("Say OK"));
    expectWellFormedRun(events);
    expect(assistantText(events)).toBe("OK");
    const result = ofKind(events, "result")[0];
    expect(result?.payload).toMatchObject({ status: "success", text: "OK", stopReason: "end_turn" });
    expect(result?.metadata).toMatchObject({ lane: "sdk", backend: "sdk:gemini", sdkRuntime: "@agentclientprotocol/sdk" });
    const agents = () => processesWithEnv(MARKER_VAR, marker).filter((row) => row.args.includes("--acp")).map((row) => row.pid);
    const before = agents();
    expect(before.length).toBeGreaterThan(0);

    api.respondWith(() => geminiReplies.text("OK again"));
    const second = await session.query("Say OK again");
    expect(second.text).toBe("OK again");
    expect(second.providerSessionId).toBe(result?.providerSessionId);
    expect(agents()).toEqual(before);
  });

  for (const decision of ["allow", "deny"] as const) {
    it(`asks through session/request_permission in default mode and applies "${decision}"`, async () => {
      // A command that writes: gemini runs read-only commands without asking.
      api.respondWith(geminiReplies.shellThenText("touch hi.txt && echo hi", (results) => `Tool result (is_error=${String(results[0]?.isError)}): ${shellOutput(results[0]?.text ?? "")}`));
      const session = await startSession("default");
      const events = await collectEvents(session.stream("Run echo hi in the shell"), async (event) => {
        if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, decision);
      });
      expectWellFormedRun(events);
      const requested = ofKind(events, "approval_requested");
      expect(requested).toHaveLength(1);
      expect(JSON.stringify(requested[0]?.payload.details)).toContain("touch hi.txt");
      expect(ofKind(events, "approval_resolved")[0]?.payload.decision).toBe(decision);
      expect(ofKind(events, "tool_use")).toHaveLength(1);
      if (decision === "allow") {
        // The shell ran and its output went back to the model.
        expect(shellOutput(api.turns[1]?.functionResponses[0]?.text ?? "")).toBe("hi");
        expect(ofKind(events, "result")[0]?.payload.text).toContain("hi");
        expect(existsSync(join(dirs.cwd, "hi.txt"))).toBe(true);
      } else {
        // Gemini ends the turn when the user rejects a tool: the model is not asked again.
        expect(api.turns.every((turn) => turn.functionResponses.every((response) => shellOutput(response.text) !== "hi"))).toBe(true);
        expect(existsSync(join(dirs.cwd, "hi.txt"))).toBe(false);
      }
    });
  }

  it("cancels a turn with session/cancel and the process takes the next prompt", async () => {
    api.respondWith(geminiReplies.shellThenText("sleep 30", "done"));
    const session = await startSession("default");
    const stream = session.stream("Wait in the shell");
    const events = await collectEvents(stream, async (event) => {
      // Hold the permission request open and interrupt instead.
      if (event.kind === "approval_requested") await asm.interrupt(stream.runId);
    });
    expectWellFormedRun(events);
    expect(events.filter(isOutcomeEvent)[0]?.payload).toMatchObject({ code: "user_cancelled" });
    expect(ofKind(events, "run_completed")[0]?.payload.status).toBe("interrupted");

    api.respondWith(() => geminiReplies.text("still here"));
    const next = await session.query("Are you there?");
    expect(next.text).toBe("still here");
  });
});
