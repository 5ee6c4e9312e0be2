import type { InvocationInput } from "@asm/contract";
import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { codexOptionsSchema, type CodexProfileOptions } from "../options.js";
import { buildCodexInvocation as buildInvocation, CODEX_OUTPUT_SCHEMA_FILE_KEY as OUTPUT_SCHEMA_FILE_KEY } from "./invocation.js";
import { normalizeCodexOptions } from "./normalize-options.js";

type Extra = Partial<Omit<InvocationInput, "options">>;

/** The options as the kernel hands them over: Codex keys validated, common keys (`extraArgs`, `env`…) kept, then normalized. */
function asKernelWould(options: Record<string, unknown>, common: Record<string, unknown> = {}): CodexProfileOptions {
  return normalizeCodexOptions({ ...codexOptionsSchema.loose().parse(options), ...common }) as CodexProfileOptions;
}

function build(options: Record<string, unknown> = {}, extra: Extra = {}, common: Record<string, unknown> = {}) {
  return buildInvocation({ prompt: "Say OK", options: asKernelWould(options, common), maxArgvPromptBytes: 1000, ...extra });
}

/** Common keys alongside provider keys, in one object, as a caller writes them. */
function buildRaw(options: Record<string, unknown>, extra: Extra = {}) {
  return buildInvocation({ prompt: "Say OK", options: asKernelWould(options), maxArgvPromptBytes: 1000, ...extra });
}

function configArgs(args: string[]): string[] {
  return args.flatMap((arg, index) => (arg === "-c" ? [args[index + 1] ?? ""] : []));
}

function expectConfigError(run: () => unknown, key: string): void {
  expectAsmError(run, { code: "config_invalid", details: { key } });
}

describe("buildInvocation", () => {
  it("builds the minimal command: exec --json -- -, the prompt on stdin, stdin closed, no env", () => {
    expect(build()).toEqual({ args: ["exec", "--json", "--", "-"], env: {}, stdin: "Say OK", closeStdin: true });
  });

  it("renders every option", () => {
    const { args } = build(
      {
      model: "gpt-5.5",
      reasoningEffort: "high",
      systemPrompt: 'Be "terse"',
      skipGitRepoCheck: true,
      additionalDirectories: ["/data", "/cache"],
      sandbox: "workspace-write",
      profile: "work",
        configOverrides: { "shell_environment_policy.inherit": "all", "tools.update_plan": { enabled: true } },
      },
      {},
      { extraArgs: ["--ephemeral"] },
    );
    expect(args).toEqual([
      "exec",
      "--json",
      "--model",
      "gpt-5.5",
      "-c",
      'model_reasoning_effort="high"',
      "-c",
      'developer_instructions="Be \\"terse\\""',
      "-c",
      'shell_environment_policy.inherit="all"',
      "-c",
      "tools.update_plan={enabled = true}",
      "--skip-git-repo-check",
      "--sandbox",
      "workspace-write",
      "--profile",
      "work",
      "--add-dir",
      "/data",
      "--add-dir",
      "/cache",
      "--ephemeral",
      "--",
      "-",
    ]);
  });

  it("writes the output schema to a temporary file referenced by a token", () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
    const invocation = build({ outputSchema: schema });
    expect(invocation.args).toEqual(["exec", "--json", "--output-schema", `\${file:${OUTPUT_SCHEMA_FILE_KEY}}`, "--", "-"]);
    expect(invocation.files).toEqual([{ key: OUTPUT_SCHEMA_FILE_KEY, content: JSON.stringify(schema) }]);
  });

  it("renders permission modes: default (nothing), bypass, native aliases", () => {
    expect(build({}, { permissionMode: "default" }).args).toEqual(["exec", "--json", "--", "-"]);
    expect(build({}, { permissionMode: "bypass" }).args).toEqual(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "--", "-"]);
    expect(build({}, { nativePermissionMode: "yolo" }).args).toContain("--dangerously-bypass-approvals-and-sandbox");
    expect(build({}, { nativePermissionMode: "dangerously_bypass_approvals_and_sandbox" }).args).toContain("--dangerously-bypass-approvals-and-sandbox");
  });

  it.each(["auto", "plan"] as const)("rejects permission mode %s with the reason and an alternative", (mode) => {
    expectAsmError(() => build({}, { permissionMode: mode }), { code: "unsupported", message: 'use permissionMode "default"' });
  });

  it("rejects an unknown native permission mode", () => {
    expectConfigError(() => build({}, { nativePermissionMode: "full_auto" }), "nativePermissionMode");
  });

  it("rejects sandbox together with bypass", () => {
    expectConfigError(() => build({ sandbox: "read-only" }, { permissionMode: "bypass" }), "sandbox");
  });

  it("resumes an exact thread: resume -- <id> <prompt>, options before resume", () => {
    const { args } = build({ skipGitRepoCheck: true }, { continuation: { strategy: "exact", providerSessionId: "01a1fd5c-2693-74a3-b6cc-80e352fecafb" }, permissionMode: "bypass" });
    expect(args).toEqual([
      "exec",
      "--json",
      "--skip-git-repo-check",
      "--dangerously-bypass-approvals-and-sandbox",
      "resume",
      "--",
      "01a1fd5c-2693-74a3-b6cc-80e352fecafb",
      "-",
    ]);
  });

  it("resumes the latest thread with resume --last", () => {
    expect(build({}, { continuation: { strategy: "latest" } }).args).toEqual(["exec", "--json", "resume", "--last", "--", "-"]);
  });

  it.each(["", " padded", "a\nb", "x".repeat(513)])("rejects the thread id %j", (id) => {
    expectConfigError(() => build({}, { continuation: { strategy: "exact", providerSessionId: id } }), "continuation.providerSessionId");
  });

  it("never puts the prompt on the command line, whatever its length or first character", () => {
    for (const prompt of ["--help me", "a".repeat(1000), "é".repeat(600), "short"]) {
      const invocation = build({}, { prompt });
      expect(invocation.args.slice(-2)).toEqual(["--", "-"]);
      expect(invocation.args.join("\n")).not.toContain(prompt);
      expect(invocation.stdin).toBe(prompt);
      const resumed = build({}, { prompt, continuation: { strategy: "exact", providerSessionId: "t-1" } });
      expect(resumed.args.slice(-3)).toEqual(["--", "t-1", "-"]);
      expect(resumed.stdin).toBe(prompt);
    }
  });

  it("rejects a system prompt too long for the command line", () => {
    expectConfigError(() => build({ systemPrompt: "s".repeat(1001) }), "systemPrompt");
  });

  it("renders the OSS route through config, without --model", () => {
    const invocation = buildRaw({ ollama: true, ollamaBaseUrl: "http://127.0.0.1:11434", reasoningEffort: "low" });
    expect(invocation.args).toEqual([
      "exec",
      "--json",
      "-c",
      'model_provider="ollama"',
      "-c",
      'model="gpt-oss:20b"',
      "-c",
      'model_reasoning_effort="low"',
      "--",
      "-",
    ]);
    expect(invocation.env).toEqual({ CODEX_OSS_BASE_URL: "http://127.0.0.1:11434/v1" });
  });

  it("normalizes a caller's CODEX_OSS_BASE_URL on the OSS route", () => {
    const invocation = buildRaw({ providerBackend: "oss", env: { CODEX_OSS_BASE_URL: "http://localhost:11434/" } });
    expect(invocation.env.CODEX_OSS_BASE_URL).toBe("http://localhost:11434/v1");
    expect(configArgs(invocation.args)).toEqual(['model_provider="ollama"', 'model="gpt-oss:20b"']);
  });

  it("renders a configured model provider", () => {
    const { args } = build({ modelProvider: "fake", model: "gpt-5.5" });
    expect(args).toEqual(["exec", "--json", "--model", "gpt-5.5", "-c", 'model_provider="fake"', "--", "-"]);
  });

  it("lets configOverrides come last so they win", () => {
    const { args } = build({ reasoningEffort: "low", configOverrides: { model_reasoning_effort: "xhigh" } });
    expect(configArgs(args)).toEqual(['model_reasoning_effort="low"', 'model_reasoning_effort="xhigh"']);
  });

  it("passes CODEX_HOME through only when the caller set it", () => {
    expect(build().env).toEqual({});
    expect(buildRaw({ env: { CODEX_HOME: "/tmp/codex-home" } }).env).toEqual({ CODEX_HOME: "/tmp/codex-home" });
  });

  it("surfaces normalization conflicts as config_invalid", () => {
    expectConfigError(() => buildRaw({ ollama: true, providerBackend: "openai" }), "providerBackend");
  });
});
