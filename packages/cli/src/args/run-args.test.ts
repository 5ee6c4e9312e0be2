import { describe, expect, it } from "vitest";
import { parseRunArgs } from "./run-args.js";

const run = (...argv: string[]) => parseRunArgs(argv, {});

function usageFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toMatchObject({ code: "config_invalid", details: { usage: true } });
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("parseRunArgs", () => {
  it("reads the prompt, provider and session options", () => {
    const request = run("Fix the test", "--provider", "claude", "--model", "sonnet", "--lane", "core", "--cwd", "/repo", "--cli-path", "/bin/claude");
    expect(request).toMatchObject({
      prompt: "Fix the test",
      provider: "claude",
      sessionOptions: { model: "sonnet", lane: "core", cwd: "/repo", cliPath: "/bin/claude" },
      runOptions: {},
      output: { json: false, verbose: false, color: true },
    });
  });

  it("turns --timeout and --idle-timeout into the core lane's watchdogs", () => {
    const request = run("x", "--provider", "codex", "--timeout", "5m", "--idle-timeout", "90");
    expect(request.sessionOptions).toMatchObject({ wallTimeoutMs: 300_000, idleTimeoutMs: 90_000, streamTimeoutMs: 120_000 });
  });

  it("makes --resume an exact continuation of the run", () => {
    expect(run("again", "--provider", "claude", "--resume", "sess-42").runOptions).toEqual({
      continuation: { strategy: "exact", providerSessionId: "sess-42" },
    });
  });

  it("passes repeatable --ssh-option KEY=VALUE through as ssh -o options", () => {
    const request = run("x", "--provider", "claude", "--ssh-host", "box", "--ssh-option", "StrictHostKeyChecking=accept-new", "--ssh-option", "UserKnownHostsFile=/tmp/kh");
    expect((request.sessionOptions.executionSurface as { transportOptions: Record<string, unknown> }).transportOptions.options).toEqual({
      StrictHostKeyChecking: "accept-new",
      UserKnownHostsFile: "/tmp/kh",
    });
    expect(() => run("x", "--provider", "claude", "--ssh-host", "box", "--ssh-option", "novalue")).toThrow(/KEY=VALUE/);
    expect(() => run("x", "--provider", "claude", "--ssh-option", "A=b")).toThrow(/needs --ssh-host/);
  });

  it("builds the ssh_exec surface from the --ssh-* flags", () => {
    const request = run("x", "--provider", "claude", "--ssh-host", "dev@build-box", "--ssh-port", "2222", "--ssh-identity-file", "/k/id");
    expect(request.sessionOptions.executionSurface).toEqual({
      kind: "ssh_exec",
      transportOptions: { destination: "build-box", user: "dev", port: 2222, identityFile: "/k/id", batchMode: true, connectTimeoutSeconds: 10 },
    });
    expect(run("x", "--provider", "claude", "--ssh-host", "box", "--ssh-user", "ci").sessionOptions.executionSurface).toEqual({
      kind: "ssh_exec",
      transportOptions: { destination: "box", user: "ci", batchMode: true, connectTimeoutSeconds: 10 },
    });
  });

  it("maps the --ollama flags, a model or URL implying --ollama", () => {
    expect(run("x", "--provider", "codex", "--ollama").sessionOptions).toEqual({ ollama: true });
    expect(run("x", "--provider", "claude", "--ollama-model", "llama3.2", "--ollama-base-url", "http://127.0.0.1:11434").sessionOptions).toEqual({
      ollama: true,
      ollamaModel: "llama3.2",
      ollamaBaseUrl: "http://127.0.0.1:11434",
    });
  });

  it("keeps the permission flags for resolution against the provider", () => {
    expect(run("x", "--provider", "gemini", "--permission-mode", "yolo")).toMatchObject({ permissionMode: "yolo", dangerFullAccess: false });
    expect(run("x", "--provider", "gemini", "--danger-full-access")).toMatchObject({ permissionMode: undefined, dangerFullAccess: true });
  });

  it("reads output flags and honours NO_COLOR", () => {
    expect(run("x", "--provider", "claude", "--json", "--verbose", "--no-color").output).toEqual({ json: true, verbose: true, color: false });
    expect(parseRunArgs(["x", "--provider", "claude"], { NO_COLOR: "1" }).output.color).toBe(false);
  });

  it("takes the provider from ASM_PROVIDER and the prompt from stdin when it is absent or -", () => {
    expect(parseRunArgs(["hi"], { ASM_PROVIDER: "amp" }).provider).toBe("amp");
    expect(run("--provider", "claude").prompt).toBeNull();
    expect(run("-", "--provider", "claude").prompt).toBeNull();
  });

  it("returns early for --help", () => {
    expect(run("--help").help).toBe(true);
  });

  it.each([
    [["x"], /needs --provider/],
    [["x", "--provider", "claude", "--bogus"], /Unknown option '--bogus'/],
    [["x", "--provider"], /argument missing/],
    [["x", "y", "--provider", "claude"], /one prompt argument/],
    [["  ", "--provider", "claude"], /prompt is empty/],
    [["x", "--provider", "claude", "--lane", "fast"], /--lane must be one of auto, core, sdk/],
    [["x", "--provider", "claude", "--timeout", "soon"], /--timeout must be/],
    [["x", "--provider", "claude", "--ssh-user", "me"], /--ssh-user needs --ssh-host/],
    [["x", "--provider", "claude", "--ssh-host", "a@box", "--ssh-user", "b"], /names user a but --ssh-user says b/],
    [["x", "--provider", "claude", "--ssh-host", "box", "--ssh-port", "70000"], /--ssh-port must be a port number/],
    [["x", "--provider", "claude", "--resume", " "], /--resume needs/],
  ])("rejects %j as a usage error", (argv, message) => {
    expect(usageFailure(() => parseRunArgs(argv, {}))).toMatch(message);
  });
});
