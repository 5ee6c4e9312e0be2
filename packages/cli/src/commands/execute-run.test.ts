import { describe, expect, it } from "vitest";
import { AsmError, createEvent, type AsmEvent } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import { captureIo } from "../__fixtures__/capture-io.js";
import { executeRun, summaryLine } from "./execute-run.js";

const output = { json: false, verbose: false, color: false };

function hangingRun() {
  const provider = fakeProvider([
    { emit: fakeEvents.started() },
    { emit: fakeEvents.delta("working") },
    { hang: true, onInterrupt: [{ emit: fakeEvents.error("runtime", "stopped") }] },
  ]);
  const asm = createAsm({ providers: [provider] });
  return { asm, provider };
}

/** A CliIo whose Ctrl-C handler the test can fire, and which records exit(). */
function controllableIo() {
  const io = captureIo();
  let handler: (() => void) | undefined;
  const exits: number[] = [];
  return {
    io: { ...io, onInterrupt: (h: () => void) => ((handler = h), () => (handler = undefined)), exit: (code: number) => void exits.push(code) },
    out: io.out,
    err: io.err,
    press: () => handler?.(),
    exits,
  };
}

describe("executeRun", () => {
  it("interrupts the run on the first Ctrl-C and exits 130", async () => {
    const { asm, provider } = hangingRun();
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("go");
    const t = controllableIo();
    const pending = executeRun({ asm, stream, io: t.io, output, label: "fake" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.press();
    const outcome = await pending;
    expect(outcome.exitCode).toBe(130);
    expect(outcome.result?.status).toBe("interrupted");
    expect(provider.backend.record.interrupts.length).toBeGreaterThan(0);
    expect(t.exits).toEqual([]);
    expect(t.err()).toContain("interrupting the run (Ctrl-C again to force)");
    expect(t.out()).toMatch(/■ interrupted · .* \(exit 130\)\n$/);
    await asm.dispose();
  });

  it("exits at once on a second Ctrl-C", async () => {
    const { asm } = hangingRun();
    const session = await asm.startSession({ provider: "fake" });
    const t = controllableIo();
    const pending = executeRun({ asm, stream: session.stream("go"), io: t.io, output, label: "fake" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.press();
    t.press();
    expect(t.exits).toEqual([130]);
    expect(t.err()).toContain("second Ctrl-C, exiting now");
    await pending;
    await asm.dispose();
  });

  it("reports a stream that fails before any event with its error's exit code", async () => {
    const { asm } = hangingRun();
    const session = await asm.startSession({ provider: "fake" });
    const t = controllableIo();
    const outcome = await executeRun({ asm, stream: session.stream("go", { unknownOption: true }), io: t.io, output, label: "fake" });
    expect(outcome.error?.code).toBe("config_invalid");
    expect(outcome.exitCode).toBe(3);
    expect(t.out()).toMatch(/✖ config_invalid: .*\(exit 3\)/);
    await asm.dispose();
  });
  it("starts the summary on its own line when the run stops mid-text", async () => {
    const { asm } = hangingRun();
    const scope = { runId: "run-1", sessionId: "session-1", provider: "claude" as const, timestamp: "2025-01-02T03:04:05.000Z" };
    // A lane whose stream ends in an error while text streams (an interrupted SDK-lane run).
    const events = async function* (): AsyncGenerator<AsmEvent> {
      yield createEvent({ ...scope, sequence: 1, kind: "run_started", payload: {} });
      yield createEvent({ ...scope, sequence: 2, kind: "assistant_delta", payload: { content: "half a sen" } });
      await Promise.resolve();
      throw new AsmError("user_cancelled", "interrupted (Ctrl-C)");
    };
    const stream = Object.assign(events(), { runId: "run-1" });
    const t = controllableIo();
    const outcome = await executeRun({ asm, stream, io: t.io, output, label: "fake" });
    expect(outcome.exitCode).toBe(130);
    expect(t.out()).toMatch(/>> half a sen\n✖ user_cancelled: interrupted \(Ctrl-C\) \(exit 130\)\n$/);
    await asm.dispose();
  });
});

describe("summaryLine", () => {
  it("describes a failure without a result", () => {
    expect(summaryLine(null, new AsmError("cli_not_found", "claude not found"), 4, false)).toBe("✖ cli_not_found: claude not found (exit 4)\n");
  });
});
