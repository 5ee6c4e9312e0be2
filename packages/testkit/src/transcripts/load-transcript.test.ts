import { backendEvent, isAsmError, type ProfileParser } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { exitInfoOf, feedTranscript, linesOf, loadTranscript, parseRecordedExit, transcriptNames } from "./load-transcript.js";

const here = new URL("./__fixtures__/", import.meta.url);

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("loadTranscript", () => {
  it("reads stdout, lines, stderr and an exit code", () => {
    const transcript = loadTranscript(here, "ok");
    expect(transcript).toEqual({
      name: "ok",
      stdout: '{"type":"text","text":"O"}\n{"type":"result","text":"OK"}\n',
      lines: ['{"type":"text","text":"O"}', '{"type":"result","text":"OK"}'],
      stderr: "",
      exitCode: 0,
      signal: null,
      stdin: [],
    });
  });

  it("reads a signal exit as a signal, never as NaN", () => {
    const transcript = loadTranscript(here, "killed");
    expect(transcript.exitCode).toBeNull();
    expect(transcript.signal).toBe("SIGTERM");
    expect(transcript.lines).toEqual(['{"type":"text","text":"partial"}']);
    expect(transcript.stderr).toBe("Terminated\n");
    expect(transcript.stdin).toEqual(['{"type":"control_request","id":"c1"}']);
    expect(exitInfoOf(transcript)).toEqual({ exitCode: null, signal: "SIGTERM", stderrTail: "Terminated\n", outcomeSeen: false });
  });

  it("accepts a folder path as well as a file URL", () => {
    expect(loadTranscript(new URL(here).pathname, "ok").exitCode).toBe(0);
  });

  it("fails loudly on a broken or missing exit file and a missing transcript", () => {
    const broken = thrownBy(() => loadTranscript(here, "broken"));
    expect(isAsmError(broken) && broken.code).toBe("parse_error");
    expect(String((broken as Error).message)).toContain('broken.exit: expected an exit code (0–255) or "signal SIGNAME", got "abc\\n"');
    const noExit = thrownBy(() => loadTranscript(here, "no-exit"));
    expect(isAsmError(noExit) && noExit.reason).toMatch(/has no no-exit\.exit/);
    const missing = thrownBy(() => loadTranscript(here, "nope"));
    expect(isAsmError(missing) && missing.reason).toMatch(/missing nope\.jsonl/);
  });

  it("lists the transcripts of a folder", () => {
    expect(transcriptNames(here)).toEqual(["broken", "killed", "no-exit", "ok"]);
  });
});

describe("parseRecordedExit", () => {
  it.each([
    ["0", { exitCode: 0, signal: null }],
    ["145\n", { exitCode: 145, signal: null }],
    ["signal SIGKILL", { exitCode: null, signal: "SIGKILL" }],
    ["SIGINT", { exitCode: null, signal: "SIGINT" }],
  ])("%j", (text, exit) => {
    expect(parseRecordedExit(text)).toEqual(exit);
  });

  it.each(["", "256", "-1", "1.5", "sigterm", "signal"])("refuses %j", (text) => {
    expect(isAsmError(thrownBy(() => parseRecordedExit(text)))).toBe(true);
  });
});

describe("linesOf", () => {
  it("splits like the core lane's line reader", () => {
    expect(linesOf("")).toEqual([]);
    expect(linesOf("a\r\nb\n\nc")).toEqual(["a", "b", "", "c"]);
  });
});

describe("feedTranscript", () => {
  it("feeds lines, stderr and the exit, telling the parser whether it saw an outcome", () => {
    const seen: unknown[] = [];
    const parser: ProfileParser = {
      line: (text) => (text.includes("result") ? [backendEvent("result", { text: "OK" })] : []),
      stderr: (chunk) => [backendEvent("stderr", { content: chunk })],
      exit: (info) => {
        seen.push(info);
        return [];
      },
    };
    expect(feedTranscript(parser, loadTranscript(here, "ok")).map((event) => event.kind)).toEqual(["result"]);
    expect(seen[0]).toMatchObject({ exitCode: 0, outcomeSeen: true });
    expect(feedTranscript(parser, loadTranscript(here, "killed")).map((event) => event.kind)).toEqual(["stderr"]);
    expect(seen[1]).toMatchObject({ exitCode: null, signal: "SIGTERM", outcomeSeen: false });
  });
});
