import { describe, expect, it } from "vitest";
import { classifyCommonExit, classifyFailureText, classifyHttpStatus, describeExit } from "./failure-classification.js";

const codex = { cliName: "Codex", commandNames: ["codex"], installHint: "npm install -g @openai/codex" };

describe("classifyFailureText and classifyHttpStatus", () => {
  it("classify text and HTTP statuses", () => {
    expect(classifyFailureText("Invalid API key · Fix external API key")).toBe("auth_error");
    expect(classifyFailureText("You exceeded your current quota")).toBe("quota_exhausted");
    expect(classifyFailureText("429 Too Many Requests")).toBe("rate_limit");
    expect(classifyFailureText("quota exceeded: rate limited")).toBe("quota_exhausted");
    expect(classifyFailureText("segfault")).toBe("transport_exit");
    expect(classifyFailureText("segfault", "runtime")).toBe("runtime");
    expect(classifyHttpStatus(401)).toBe("auth_error");
    expect(classifyHttpStatus(402)).toBe("quota_exhausted");
    expect(classifyHttpStatus(429)).toBe("rate_limit");
    expect(classifyHttpStatus(504)).toBe("timeout");
    expect(classifyHttpStatus(500)).toBe("transport_error");
  });
});

describe("describeExit", () => {
  it("names the signal, else the code", () => {
    expect(describeExit({ exitCode: 1, signal: null })).toBe("exited with code 1");
    expect(describeExit({ exitCode: null, signal: "SIGTERM" })).toBe("was terminated by SIGTERM");
    expect(describeExit({ exitCode: null, signal: null })).toBe("ended");
  });
});

describe("classifyCommonExit", () => {
  it("a missing working directory is config_invalid, whatever the exit code", () => {
    const failure = classifyCommonExit({ exitCode: 2, signal: null, stderrTail: "sh: 1: cd: /nope: No such file or directory\n" }, codex);
    expect(failure).toEqual({
      code: "config_invalid",
      message: "Codex could not start in its working directory (sh: 1: cd: /nope: No such file or directory); check the cwd option",
    });
  });

  it("exit 127 naming the command, or with nothing on stderr, is cli_not_found", () => {
    expect(classifyCommonExit({ exitCode: 127, signal: null, stderrTail: "sh: 1: codex: not found" }, codex)).toEqual({
      code: "cli_not_found",
      message: "Codex could not be started (sh: 1: codex: not found). Install it with: npm install -g @openai/codex",
    });
    expect(classifyCommonExit({ exitCode: 127, signal: null, stderrTail: "" }, codex)?.message).toBe(
      "Codex could not be started (exited with code 127). Install it with: npm install -g @openai/codex",
    );
  });

  it("leaves other exits, and a 127 about another command, to the provider", () => {
    expect(classifyCommonExit({ exitCode: 127, signal: null, stderrTail: "git: not found" }, codex)).toBeUndefined();
    expect(classifyCommonExit({ exitCode: 1, signal: null, stderrTail: "codex: not found" }, codex)).toBeUndefined();
    expect(classifyCommonExit({ exitCode: null, signal: "SIGKILL", stderrTail: "" }, codex)).toBeUndefined();
  });
});
