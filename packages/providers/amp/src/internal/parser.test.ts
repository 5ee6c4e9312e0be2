import { isOutcomeEvent, type BackendEvent } from "@asm/contract";
import { expectValidPayloads } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { exitInfo } from "../__fixtures__/amp-transcripts.js";
import { createAmpParser } from "./parser.js";

const SID = "T-00000000-0000-4000-8000-000000000042";
const feed = (lines: unknown[]): { events: BackendEvent[]; parser: ReturnType<typeof createAmpParser> } => {
  const parser = createAmpParser();
  const events = lines.flatMap((line) => parser.line(typeof line === "string" ? line : JSON.stringify(line)));
  expectValidPayloads(events);
  return { events, parser };
};
const success = { type: "result", subtype: "success", session_id: SID, is_error: false, result: "done", duration_ms: 5, num_turns: 1 };

describe("createAmpParser: line handling", () => {
  it("turns a non-JSON line into a parse_error warning carrying the line", () => {
    const { events } = feed(["Amp is starting…"]);
    expect(events).toEqual([
      {
        kind: "error",
        payload: {
          message: "Amp printed a line that is not JSON",
          code: "parse_error",
          severity: "warning",
          details: { line: "Amp is starting…" },
        },
        raw: "Amp is starting…",
      },
    ]);
    expect(events.some(isOutcomeEvent)).toBe(false);
  });

  it("ignores blank lines", () => {
    expect(feed(["", "   ", "\t"]).events).toEqual([]);
  });

  it("passes unknown types through as raw marked for the runtime, and odd shapes with one schema_drift warning each", () => {
    const { events } = feed([
      { type: "stream_event", session_id: SID, n: 1 },
      { type: "stream_event", session_id: SID, n: 2 },
      { type: "system", subtype: "compact_boundary", session_id: SID },
      [1, 2, 3],
    ]);
    expect(events.map((event) => event.kind)).toEqual(["session_updated", "raw", "raw", "raw", "warning", "raw", "warning"]);
    expect(events.filter((event) => event.metadata?.["unknownType"] !== undefined).map((event) => event.metadata)).toEqual([
      { unknownType: "stream_event" },
      { unknownType: "stream_event" },
    ]);
    const warnings = events.filter((event) => event.kind === "warning").map((event) => event.payload);
    expect(warnings.map((payload) => payload.code)).toEqual(["schema_drift", "schema_drift"]);
    expect(warnings.map((payload) => payload.details)).toEqual([
      { type: "system:compact_boundary" },
      {},
    ]);
    expect(events[1]).toMatchObject({ payload: { stream: "stdout", content: { type: "stream_event", n: 1 } } });
  });

  it("an error kind named like an Object.prototype member is no code of its own", () => {
    for (const kind of ["constructor", "__proto__", "toString"]) {
      const { events } = feed([{ type: "error", error_code: kind, message: "boom" }]);
      expect(events[0]?.payload).toMatchObject({ code: "unknown", severity: "error" });
    }
  });

  it("announces the session id once, stamps it on every later event, and re-announces a change", () => {
    const { events, parser } = feed([
      "not json",
      { type: "assistant", session_id: SID, message: { content: [{ type: "text", text: "a" }] } },
      { type: "assistant", session_id: SID, message: { content: [{ type: "text", text: "b" }] } },
      { type: "assistant", session_id: "T-other", message: { content: [{ type: "text", text: "c" }] } },
    ]);
    expect(events.map((event) => [event.kind, event.providerSessionId])).toEqual([
      ["error", undefined],
      ["session_updated", SID],
      ["assistant_message", SID],
      ["assistant_message", SID],
      ["session_updated", "T-other"],
      ["assistant_message", "T-other"],
    ]);
    expect(parser.stderr("warn\n")).toEqual([{ kind: "stderr", payload: { content: "warn\n" }, providerSessionId: "T-other" }]);
    expect(parser.stderr("")).toEqual([]);
  });

  it("never takes an empty or non-string id as the session id", () => {
    const { events } = feed([
      { type: "assistant", session_id: "", message: { content: "x" } },
      { type: "assistant", session_id: null, message: { content: "y" } },
    ]);
    expect(events.map((event) => event.kind)).toEqual(["assistant_message", "assistant_message"]);
    expect(events.every((event) => event.providerSessionId === undefined)).toBe(true);
  });

  it("keeps a plain-string assistant content as one text block and an empty content as an empty message", () => {
    const { events } = feed([
      { type: "assistant", message: { content: "plain" } },
      { type: "assistant", message: { content: [] } },
    ]);
    expect(events.map((event) => event.payload)).toEqual([{ content: [{ type: "text", text: "plain" }] }, { content: [] }]);
  });

  it("maps user text to user_message and joins list-of-text tool results", () => {
    const { events } = feed([
      { type: "user", message: { role: "user", content: "hello" } },
      { type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }] } },
    ]);
    expect(events.map((event) => [event.kind, event.payload])).toEqual([
      ["user_message", { content: "hello" }],
      ["tool_result", { toolCallId: "t1", content: "a\nb", isError: false }],
    ]);
  });

  it("reports a stream-provided cost and keeps the result's duration_api_ms", () => {
    const { events } = feed([{ ...success, total_cost_usd: 0.42, duration_api_ms: 3, usage: { input_tokens: 7, output_tokens: 2 } }]);
    expect(events.map((event) => event.kind)).toEqual(["session_updated", "cost_update", "result"]);
    expect(events[1]?.payload).toMatchObject({ inputTokens: 7, outputTokens: 2, costUsd: 0.42, mode: "cumulative" });
    expect(events[2]?.payload).toMatchObject({ costUsd: 0.42, durationApiMs: 3, text: "done" });
  });

  it("classifies error results from their text: authentication and cancellation", () => {
    const auth = feed([{ type: "result", subtype: "error_during_execution", is_error: true, error: "401 Unauthorized" }]).events;
    expect(auth.at(-1)?.payload).toMatchObject({ code: "auth_error", severity: "error" });
    const cancelled = feed([{ type: "result", subtype: "error_during_execution", is_error: true, error: "Request was aborted" }]).events;
    expect(cancelled.at(-1)?.payload).toMatchObject({ code: "user_cancelled" });
    const legacyStatus = feed([{ type: "run_completed", status: "cancelled" }]).events;
    expect(legacyStatus.at(-1)?.payload).toMatchObject({ code: "user_cancelled", message: "Amp reported an error result" });
  });

  it("keeps exactly one outcome: later results and failures are demoted", () => {
    const { events } = feed([success, success, { type: "run_failed", message: "late" }, { type: "run_cancelled" }]);
    expect(events.map((event) => event.kind)).toEqual(["session_updated", "result", "raw", "warning", "error", "raw", "warning"]);
    expect(events.filter(isOutcomeEvent)).toHaveLength(1);
    expect(events[3]?.payload).toMatchObject({ code: "duplicate_outcome" });
    expect(events[4]?.payload).toMatchObject({ severity: "warning", message: "late" });
  });
});

describe("createAmpParser: exit", () => {
  it("synthesizes a transport_exit error when Amp exits 0 without a result", () => {
    const parser = createAmpParser();
    const events = parser.exit(exitInfo([], 0));
    expectValidPayloads(events);
    expect(events).toEqual([
      {
        kind: "error",
        payload: {
          code: "transport_exit",
          severity: "error",
          domain: "transport",
          retryable: true,
          message: "Amp exited with code 0 without reporting a result",
          exitCode: 0,
        },
      },
    ]);
  });

  it("names the signal when Amp was killed, and stamps the known session id", () => {
    const parser = createAmpParser();
    parser.line(JSON.stringify({ type: "assistant", session_id: SID, message: { content: "partial" } }));
    const events = parser.exit(exitInfo([], null, "", "SIGKILL"));
    expect(events).toEqual([
      {
        kind: "error",
        providerSessionId: SID,
        payload: expect.objectContaining({
          code: "transport_exit",
          message: "Amp was terminated by SIGKILL with no output",
          exitCode: null,
          details: { signal: "SIGKILL" },
        }),
      },
    ]);
  });

  it("adds a login hint to auth failures whose stderr does not give one", () => {
    const events = createAmpParser().exit(exitInfo([], 1, "Error: 403 Forbidden\n"));
    expect(events[0]?.payload).toMatchObject({
      code: "auth_error",
      message: "Amp exited with code 1: 403 Forbidden (run `amp login` or set AMP_API_KEY)",
    });
  });

  it("adds nothing after a terminal error, and only a warning after a result with a failing exit", () => {
    const failed = createAmpParser();
    const failEvents = failed.line(JSON.stringify({ type: "result", is_error: true, subtype: "error_during_execution", error: "x" }));
    expect(failed.exit(exitInfo(failEvents, 1, "Error: boom"))).toEqual([]);

    const succeeded = createAmpParser();
    const okEvents = succeeded.line(JSON.stringify(success));
    expect(succeeded.exit(exitInfo(okEvents, 0))).toEqual([]);
    const after = succeeded.exit(exitInfo(okEvents, 2, "Error: cleanup failed"));
    expect(after.map((event) => [event.kind, event.payload])).toEqual([
      [
        "warning",
        {
          code: "exit_after_outcome",
          message: "Amp exited with code 2 after reporting its result",
          details: { exitCode: 2, signal: null, stderr: "cleanup failed" },
        },
      ],
    ]);
  });

  it("trusts the kernel's outcomeSeen even when this parser saw none", () => {
    const events = createAmpParser().exit({ exitCode: 0, signal: null, stderrTail: "", outcomeSeen: true });
    expect(events).toEqual([]);
  });
});
