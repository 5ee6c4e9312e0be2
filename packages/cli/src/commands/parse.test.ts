import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { recordedTranscripts, TRANSCRIPT_PROVIDERS as PROVIDERS, TRANSCRIPTS_DIR as TRANSCRIPTS, type RecordedTranscript as Transcript } from "../__fixtures__/recorded-transcripts.js";
import { main } from "../main.js";
import { parseRecordedExit } from "./parse.js";

// What each recorded run must normalize to. Runs not listed must end in a `result`.
const EXPECTED_ERRORS: Record<string, readonly string[]> = {
  "claude/error-401": ["auth_error"],
  "codex/error-401": ["auth_error"],
  "gemini/error-401": ["auth_error"],
  "amp/error-401": ["auth_error"],
  "codex/error-429": ["rate_limit"],
  // A server error is a retryable transport failure, reported by the CLI or read from its exit.
  "claude/error-500": ["transport_error", "transport_exit"],
  "codex/error-500": ["transport_error", "transport_exit"],
  "gemini/error-500": ["transport_error", "transport_exit"],
  "amp/error-500": ["transport_error", "transport_exit"],
  "amp/error-no-actor-gateway": ["connection_failed"],
  // Interrupted turns (by the host, or a denial with interrupt).
  "claude/control-deny-interrupt": ["user_cancelled"],
  "claude/control-interrupt-pending-permission": ["user_cancelled"],
  "claude/control-interrupt-streaming": ["user_cancelled"],
  "claude/control-interrupt-then-eof": ["user_cancelled"],
  "claude/control-sdk-stream-interrupt": ["user_cancelled"],
  "claude/control-sdk-string-interrupt": ["user_cancelled"],
  // No turn ran at all (stdin closed at once, the CLI exited without output, or refused the input):
  // an answer never came, so the outcome must be an error, whatever its class.
  "claude/control-eof-idle": [],
  "claude/control-fakecli-exit-without-result": [],
  "claude/control-invalid-json": [],
};

interface Line {
  kind: string;
  payload: Record<string, unknown>;
}

async function parse(t: Transcript): Promise<{ code: number; lines: Line[]; summary: string }> {
  const io = captureIo();
  const argv = ["parse", "--provider", t.provider, t.stdout, "--exit", t.exit, ...(t.stderr ? ["--stderr", t.stderr] : [])];
  const code = await main(argv, io);
  const lines = io
    .out()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Line);
  return { code, lines, summary: io.err() };
}

const isOutcome = (line: Line) => line.kind === "result" || (line.kind === "error" && ["error", "fatal", undefined].includes(line.payload.severity as string | undefined));

describe("asm parse over every recorded transcript", () => {
  it("finds the recorded transcripts of all four CLIs", () => {
    // Without them this suite would check nothing: fail loudly.
    expect(existsSync(TRANSCRIPTS), `missing ${TRANSCRIPTS}`).toBe(true);
    const all = recordedTranscripts();
    for (const provider of PROVIDERS) expect(all.filter((t) => t.provider === provider).length).toBeGreaterThan(0);
    for (const key of Object.keys(EXPECTED_ERRORS)) expect(all.some((t) => `${t.provider}/${t.name}` === key), key).toBe(true);
  });

  const all = recordedTranscripts();
  it.each(all.map((t) => [`${t.provider}/${t.name}`, t] as const))("%s yields exactly one outcome of the right kind", async (key, t) => {
    const { code, lines, summary } = await parse(t);
    expect(code, summary).toBe(0);
    for (const line of lines) {
      expect(typeof line.kind).toBe("string");
      expect(typeof line.payload).toBe("object");
    }
    const outcomes = lines.filter(isOutcome);
    expect(outcomes, summary).toHaveLength(1);
    const outcome = outcomes[0]!;
    const expected = EXPECTED_ERRORS[key];
    if (expected === undefined) {
      expect(outcome.kind, JSON.stringify(outcome)).toBe("result");
    } else {
      expect(outcome.kind, JSON.stringify(outcome)).toBe("error");
      if (expected.length > 0) expect(expected).toContain(outcome.payload.code);
    }
    const kinds = new Set(lines.map((line) => line.kind));
    if (/(^|-)tool$/.test(t.name) || /^control-(allow|deny)/.test(t.name)) {
      expect(kinds.has("tool_use"), summary).toBe(true);
      expect(kinds.has("tool_result"), summary).toBe(true);
    }
    if (/^control-(allow|deny)/.test(t.name)) expect(kinds.has("approval_requested"), summary).toBe(true);
    if (/^(text|resume|stream-input)/.test(t.name)) {
      expect(kinds.has("assistant_message") || kinds.has("assistant_delta"), summary).toBe(true);
      expect(outcome.payload.text).toMatch(/OK/);
    }
  });

  it("prints raw provider lines with --raw", async () => {
    const t = all.find((entry) => entry.provider === "claude" && entry.name === "text")!;
    const io = captureIo();
    expect(await main(["parse", "--provider", "claude", t.stdout, "--raw"], io)).toBe(0);
    const lines = io.out().trim().split("\n").map((line) => JSON.parse(line) as { raw?: unknown });
    expect(lines.some((line) => typeof line.raw === "object" && line.raw !== null)).toBe(true);
  });

  it("refuses bad arguments with usage errors (exit 2)", async () => {
    for (const argv of [["parse", "x.jsonl"], ["parse", "--provider", "claude"], ["parse", "--provider", "claude", "a", "b"], ["parse", "--provider", "claude", "a", "--exit", "weird"]]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toContain("usage: asm parse");
    }
    const io = captureIo();
    expect(await main(["parse", "--provider", "nobody", "x.jsonl"], io)).toBe(9);
    expect(io.err()).toMatch(/unknown provider "nobody"/);
    const missing = captureIo();
    expect(await main(["parse", "--provider", "claude", "/nonexistent/file.jsonl"], missing)).toBe(3);
    expect(missing.err()).toMatch(/cannot read transcript/);
  });
});

describe("parseRecordedExit", () => {
  it("reads exit codes and signals as recorded", () => {
    expect(parseRecordedExit("0")).toEqual({ exitCode: 0, signal: null });
    expect(parseRecordedExit("145\n")).toEqual({ exitCode: 145, signal: null });
    expect(parseRecordedExit("signal SIGTERM")).toEqual({ exitCode: null, signal: "SIGTERM" });
    expect(parseRecordedExit("SIGKILL")).toEqual({ exitCode: null, signal: "SIGKILL" });
    expect(() => parseRecordedExit("killed")).toThrow(/--exit must be/);
  });
});
