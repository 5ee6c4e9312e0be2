import { describe, expect, it } from "vitest";
import { classifyExit, synthesizeExitOutcome, type ExitFacts } from "./exit-classification.js";

const facts = (overrides: Partial<ExitFacts>): ExitFacts => ({
  profileId: "claude",
  commandNames: ["claude"],
  exitCode: 1,
  signal: null,
  stderrTail: "",
  interrupted: false,
  ...overrides,
});

describe("exit classification", () => {
  it("classifies by interrupt, shell messages and the stderr tail", () => {
    expect(classifyExit(facts({ interrupted: true, stderrTail: "401" }))).toBe("user_cancelled");
    expect(classifyExit(facts({ stderrTail: "bash: line 1: cd: /work/x: No such file or directory" }))).toBe("config_invalid");
    expect(classifyExit(facts({ exitCode: 127, stderrTail: "sh: 1: claude: not found" }))).toBe("cli_not_found");
    expect(classifyExit(facts({ exitCode: 127, stderrTail: "python: not found" }))).toBe("transport_exit");
    expect(classifyExit(facts({ stderrTail: "Error: Invalid API key. Please run /login" }))).toBe("auth_error");
    expect(classifyExit(facts({ stderrTail: "You have exceeded your quota" }))).toBe("quota_exhausted");
    expect(classifyExit(facts({ stderrTail: "429 Too Many Requests" }))).toBe("rate_limit");
    expect(classifyExit(facts({ exitCode: 52, stderrTail: "boom" }))).toBe("transport_exit");
  });

  it("reads the exits every CLI shares as the providers do (missing cwd, exit 127), with their messages", () => {
    expect(classifyExit(facts({ exitCode: 127, stderrTail: "" }))).toBe("cli_not_found");
    const missingCwd = synthesizeExitOutcome(facts({ exitCode: 2, stderrTail: "sh: 1: cd: /gone: No such file or directory\n" }));
    expect(missingCwd.payload).toMatchObject({ code: "config_invalid", exitCode: 2 });
    expect((missingCwd.payload as { message: string }).message).toContain("check the cwd option");
    const missingCli = synthesizeExitOutcome(facts({ exitCode: 127, stderrTail: "sh: 1: claude: not found\n" }));
    expect((missingCli.payload as { message: string }).message).toBe("claude could not be started (sh: 1: claude: not found)");
  });

  it("turns a clean exit into a synthetic result", () => {
    const event = synthesizeExitOutcome(facts({ exitCode: 0 }));
    expect(event).toMatchObject({ kind: "result", payload: { status: "success", stopReason: "end_turn", nativeStopReason: "exit" }, metadata: { synthetic: true } });
  });

  it("turns a failed exit into a terminal error with the stderr tail", () => {
    const event = synthesizeExitOutcome(facts({ exitCode: 52, stderrTail: "line 1\nline 2\nfatal: it broke\n" }));
    expect(event.kind).toBe("error");
    expect(event.payload).toMatchObject({
      code: "transport_exit",
      severity: "error",
      exitCode: 52,
      stderrTail: "line 1\nline 2\nfatal: it broke\n",
      details: { exitCode: 52, signal: null, synthetic: true },
    });
    expect((event.payload as { message: string }).message).toBe("claude exited with code 52 without a final event: line 1\nline 2\nfatal: it broke");
    const killed = synthesizeExitOutcome(facts({ exitCode: null, signal: "SIGKILL" }));
    expect((killed.payload as { message: string }).message).toBe("claude was terminated by SIGKILL without a final event");
  });
});
