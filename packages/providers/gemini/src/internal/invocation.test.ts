import type { InvocationInput } from "@asm/contract";
import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { buildGeminiInvocation, GEMINI_SYSTEM_PROMPT_FILE } from "./invocation.js";
import { geminiOptionsSchema } from "../options.js";

/** Builds with the options as the kernel hands them over: Gemini keys validated (defaults applied), common keys kept. */
function build(overrides: Partial<Omit<InvocationInput, "options">> & { options?: Record<string, unknown> } = {}): ReturnType<typeof buildGeminiInvocation> {
  const { options = {}, ...rest } = overrides;
  return buildGeminiInvocation({ prompt: "Say OK", options: geminiOptionsSchema.loose().parse(options), maxArgvPromptBytes: 100_000, ...rest });
}


describe("buildGeminiInvocation", () => {
  it("runs headless stream-json with the default model, the prompt on stdin (never on argv), stdin closed", () => {
    const invocation = build();
    expect(invocation.args).toEqual(["--output-format", "stream-json", "--model", "gemini-2.5-flash", "--prompt="]);
    expect(invocation.closeStdin).toBe(true);
    expect(invocation.stdin).toBe("Say OK");
    expect(invocation.files).toBeUndefined();
    expect(invocation.env).toEqual({ GEMINI_CLI_NO_RELAUNCH: "true" });
  });

  it("keeps a prompt that looks like a flag off the command line", () => {
    const invocation = build({ prompt: "--yolo -x" });
    expect(invocation.args).not.toContain("--yolo");
    expect(invocation.args.at(-1)).toBe("--prompt=");
    expect(invocation.stdin).toBe("--yolo -x");
  });

  it.each([
    ["default", []],
    ["auto", ["--approval-mode", "auto_edit"]],
    ["bypass", ["--yolo"]],
    ["plan", ["--approval-mode", "plan"]],
  ] as const)("permission mode %s → %j", (permissionMode, flags) => {
    const args = build({ permissionMode }).args;
    expect(args.slice(4, 4 + flags.length)).toEqual(flags);
    expect(args).toHaveLength(5 + flags.length);
  });

  it("prefers the native permission mode, aliases included", () => {
    expect(build({ permissionMode: "default", nativePermissionMode: "yolo" }).args).toContain("--yolo");
    expect(build({ nativePermissionMode: "auto_edit" }).args).toEqual(expect.arrayContaining(["--approval-mode", "auto_edit"]));
  });

  it("renders every provider option", () => {
    const args = build({
      options: {
        model: "gemini-2.5-pro",
        sandbox: true,
        extensions: ["git", "fs"],
        includeDirectories: ["/a", "/b"],
        allowedMcpServerNames: ["github"],
        policy: ["/p.toml"],
        skipTrust: true,
        cliSessionId: "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc",
        extraArgs: ["--debug"],
      },
    }).args;
    expect(args).toEqual([
      "--output-format",
      "stream-json",
      "--model",
      "gemini-2.5-pro",
      "--sandbox",
      "--extensions",
      "git,fs",
      "--include-directories",
      "/a",
      "--include-directories",
      "/b",
      "--allowed-mcp-server-names",
      "github",
      "--policy",
      "/p.toml",
      "--skip-trust",
      "--session-id",
      "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc",
      "--debug",
      "--prompt=",
    ]);
  });

  it("ignores the common keys it does not use", () => {
    expect(build({ options: { cwd: "/tmp", env: { A: "1" }, idleTimeoutMs: 5, cliPath: "/bin/gemini" } }).args).toEqual(build().args);
  });

  it("resumes an exact session or the latest one", () => {
    expect(build({ continuation: { strategy: "exact", providerSessionId: "46d49b4e" } }).args).toEqual(
      expect.arrayContaining(["--resume", "46d49b4e"]),
    );
    expect(build({ continuation: { strategy: "latest" } }).args).toEqual(expect.arrayContaining(["--resume", "latest"]));
  });

  it("refuses to resume and set a new session id at once", () => {
    expectAsmError(() => build({ options: { cliSessionId: "abc" }, continuation: { strategy: "latest" } }), { code: "config_invalid", details: { key: "cliSessionId" } });
  });

  it("sends a prompt of any length on stdin with an empty --prompt=", () => {
    const prompt = "é".repeat(60);
    const invocation = build({ prompt, maxArgvPromptBytes: 100 });
    expect(invocation.args.at(-1)).toBe("--prompt=");
    expect(invocation.args.join(" ")).not.toContain("é");
    expect(invocation.stdin).toBe(prompt);
    expect(invocation.closeStdin).toBe(true);
    expect(build({ prompt: "x".repeat(100), maxArgvPromptBytes: 100 }).stdin).toBe("x".repeat(100));
  });

  it("refuses a prompt beyond what the CLI reads from stdin", () => {
    expectAsmError(() => build({ prompt: "x".repeat(8 * 1024 * 1024 + 1), maxArgvPromptBytes: 100 }), { code: "config_invalid", message: "at most 8388608 bytes" });
  });

  it("writes the system prompt to a temporary file named in GEMINI_SYSTEM_MD", () => {
    const invocation = build({ options: { systemPrompt: "You are terse." } });
    expect(invocation.files).toEqual([{ key: GEMINI_SYSTEM_PROMPT_FILE, content: "You are terse." }]);
    expect(invocation.env.GEMINI_SYSTEM_MD).toBe(`\${file:${GEMINI_SYSTEM_PROMPT_FILE}}`);
  });

  it("lets the CLI relaunch itself only when asked", () => {
    expect(build({ options: { relaunch: true } }).env).toEqual({});
  });
});
