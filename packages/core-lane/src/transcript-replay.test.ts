import { backendEvent, type BackendEvent, type ExitInfo, type ProviderProfile } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { replayTranscript } from "./transcript-replay.js";

// A profile whose parser records what it is fed: each stdout line is a delta, except `outcomeOn`,
// which is the result; stderr and the exit yield what the test asks for.
function stubProfile(options: { outcomeOn?: string; onExit?: BackendEvent[]; throwOn?: string } = {}) {
  const calls: string[] = [];
  let exitInfo: ExitInfo | undefined;
  const profile = {
    id: "stub",
    cli: { binaryNames: ["stub"] },
    createParser: () => ({
      line: (text: string) => {
        calls.push(`line:${text}`);
        if (text === options.throwOn) throw new Error("cannot read this");
        return text === options.outcomeOn ? [backendEvent("result", { text: "done" })] : [backendEvent("assistant_delta", { content: text })];
      },
      stderr: (chunk: string) => {
        calls.push(`stderr:${chunk.length}`);
        return [backendEvent("stderr", { content: chunk })];
      },
      exit: (info: ExitInfo) => {
        exitInfo = info;
        calls.push("exit");
        return options.onExit ?? [];
      },
    }),
  } as unknown as ProviderProfile;
  return { profile, calls, exitInfo: () => exitInfo };
}

describe("replayTranscript", () => {
  it("ends at the first outcome: later lines, stderr and the exit are not fed, later events are dropped", () => {
    const stub = stubProfile({ outcomeOn: "b" });
    const replay = replayTranscript(stub.profile, { stdout: "a\r\n\nb\nc\n", stderr: "late warning", exitCode: 0, signal: null });
    expect(replay.events.map((event) => event.kind)).toEqual(["assistant_delta", "result"]);
    expect(replay.droppedAfterOutcome.map((event) => event.kind)).toEqual(["assistant_delta"]);
    expect(stub.calls).toEqual(["line:a", "line:b", "line:c"]);
    expect(replay.lines).toBe(3);
    expect(replay.outcomeSynthesized).toBe(false);
  });

  it("without an outcome in stdout: stderr, then the exit with the last 8 KiB of stderr", () => {
    const stub = stubProfile({ onExit: [backendEvent("error", { message: "boom", code: "transport_exit", severity: "error" })] });
    const stderr = "x".repeat(10_000) + "THE END";
    const replay = replayTranscript(stub.profile, { stdout: "a\n", stderr, exitCode: 1, signal: null });
    expect(stub.calls).toEqual(["line:a", "stderr:10007", "exit"]);
    expect(replay.events.map((event) => event.kind)).toEqual(["assistant_delta", "stderr", "error"]);
    const info = stub.exitInfo()!;
    expect(info).toMatchObject({ exitCode: 1, signal: null, outcomeSeen: false });
    expect(info.stderrTail.length).toBe(8 * 1024);
    expect(info.stderrTail.endsWith("THE END")).toBe(true);
    expect(replay.outcomeSynthesized).toBe(false);
  });

  it("gives a run without any outcome the one its exit status implies", () => {
    const killed = replayTranscript(stubProfile().profile, { stdout: "a\n", stderr: "", exitCode: null, signal: "SIGKILL" });
    expect(killed.outcomeSynthesized).toBe(true);
    expect(killed.events.at(-1)).toMatchObject({ kind: "error", payload: { code: "transport_exit", exitCode: null, details: { signal: "SIGKILL", synthetic: true } } });
    const clean = replayTranscript(stubProfile().profile, { stdout: "a\n", stderr: "", exitCode: 0, signal: null });
    expect(clean.events.at(-1)).toMatchObject({ kind: "result", payload: { status: "success", nativeStopReason: "exit" } });
  });

  it("reports a parser that throws as a parse_error warning with the line, and goes on", () => {
    const replay = replayTranscript(stubProfile({ throwOn: "bad", outcomeOn: "end" }).profile, { stdout: "bad\nend\n", stderr: "", exitCode: 0, signal: null });
    expect(replay.events.map((event) => event.kind)).toEqual(["error", "result"]);
    expect(replay.events[0]?.payload).toMatchObject({ code: "parse_error", severity: "warning", details: { line: "bad" } });
  });

  it("warns once per unknown event type, as a live run does", () => {
    const unknownOnce = {
      id: "stub",
      cli: { binaryNames: ["stub"] },
      createParser: () => ({
        line: (text: string) => [backendEvent("raw", { stream: "stdout", content: text }, { metadata: { unknownType: text } })],
        stderr: () => [],
        exit: () => [backendEvent("result", {})],
      }),
    } as unknown as ProviderProfile;
    const { events } = replayTranscript(unknownOnce, { stdout: "brand_new\nbrand_new\nother\n", stderr: "", exitCode: 0, signal: null });
    expect(events.map((event) => (event.kind === "warning" ? `warning:${String(event.payload.details?.["type"])}` : event.kind))).toEqual([
      "raw",
      "warning:brand_new",
      "raw",
      "raw",
      "warning:other",
      "result",
    ]);
  });
});
