import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeCliPath } from "@asm/testkit";
import { expectAsmError } from "@asm/testkit/assertions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codexSdkOptions, codexThreadOptions } from "./index.js";

// codexSdkOptions and codexThreadOptions: the shapes `new Codex(options).startThread(threadOptions)`
// of @openai/codex-sdk takes, every mapping and every refusal.

describe("codexSdkOptions", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-codex-sdk-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("sets the binary and the whole environment, the run's env over the host's", () => {
    const options = codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), env: { ASM_BRIDGE_TEST: "yes" } });
    expect(options.codexPathOverride).toBe(fakeCliPath());
    expect(options.env).toMatchObject({ ASM_BRIDGE_TEST: "yes", PATH: process.env.PATH });
    expect(options).not.toHaveProperty("config");
  });

  it("finds codex as the core lane does: CODEX_PATH in env, else cli_not_found", () => {
    const found = join(dir, "my-codex");
    writeFileSync(found, "#!/bin/sh\n");
    chmodSync(found, 0o755);
    expect(codexSdkOptions({ cwd: dir, env: { CODEX_PATH: found } }).codexPathOverride).toBe(found);
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: join(dir, "no-such-codex") }), "cli_not_found");
  });

  it("sends configOverrides and systemPrompt through config", () => {
    expect(codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), configOverrides: { "features.web_search": false }, systemPrompt: "Be brief." }).config).toEqual({
      "features.web_search": false,
      developer_instructions: "Be brief.",
    });
  });

  it("merges native overrides last (baseUrl, apiKey, more config)", () => {
    const options = codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), systemPrompt: "Be brief." }, { baseUrl: "http://127.0.0.1:9/v1", apiKey: "k", config: { "tools.view_image": false } });
    expect(options).toMatchObject({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "k", config: { developer_instructions: "Be brief.", "tools.view_image": false } });
  });

  for (const key of ["codexPathOverride", "env", "model", "modelReasoningEffort", "reasoningEffort"]) {
    it(`refuses the native override ${key}, naming it`, () => {
      expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath() }, { [key]: "x" }), { code: "config_invalid", details: { key: key } });
    });
  }

  it("refuses config overrides of what ASM owns or has set", () => {
    for (const key of ["model", "model_reasoning_effort", "sandbox_mode", "approval_policy", "developer_instructions"]) {
      expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath() }, { config: { [key]: "x" } }), { code: "config_invalid", details: { key: `config.${key}` } });
    }
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), configOverrides: { "a.b": 1 } }, { config: { "a.b": 2 } }), { code: "config_invalid", details: { key: "config.a.b" } });
  });

  it("validates every option, thread ones included, naming the field", () => {
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), modelReasoningEffort: "high" } as never), { code: "config_invalid", details: { key: "modelReasoningEffort" } });
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), provider: "gemini" } as never), { code: "config_invalid", details: { key: "provider" } });
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), permissionMode: "auto" }), { code: "config_invalid", details: { key: "permissionMode" } });
    expectAsmError(() => codexSdkOptions({ cwd: dir, cliPath: fakeCliPath(), configOverrides: { "bad key": 1 } }), { code: "config_invalid", details: { key: "configOverrides.bad key" } });
  });
});

describe("codexThreadOptions", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-codex-thread-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("maps the working directory, model, reasoning effort, sandbox, Git check and extra directories", () => {
    expect(
      codexThreadOptions({ cwd: dir, model: "gpt-5.5", reasoningEffort: "xhigh", sandbox: "read-only", skipGitRepoCheck: true, additionalDirectories: ["/srv/shared"] }),
    ).toEqual({ workingDirectory: dir, model: "gpt-5.5", modelReasoningEffort: "xhigh", sandboxMode: "read-only", skipGitRepoCheck: true, additionalDirectories: ["/srv/shared"] });
  });

  it("keeps Codex's own approval default in the default mode, as the provider does for codex exec", () => {
    expect(codexThreadOptions({ cwd: dir })).toEqual({ workingDirectory: dir, skipGitRepoCheck: false });
    expect(codexThreadOptions({ cwd: dir, permissionMode: "default" })).toEqual({ workingDirectory: dir, skipGitRepoCheck: false });
  });

  it("renders bypass as full access that never asks; bypass with a sandbox is refused", () => {
    expect(codexThreadOptions({ cwd: dir, permissionMode: "bypass" })).toMatchObject({ sandboxMode: "danger-full-access", approvalPolicy: "never" });
    expectAsmError(() => codexThreadOptions({ cwd: dir, permissionMode: "bypass", sandbox: "workspace-write" }), { code: "config_invalid", details: { key: "sandbox" } });
  });

  it("refuses auto and plan, which Codex does not have", () => {
    for (const permissionMode of ["auto", "plan"] as const) {
      expectAsmError(() => codexThreadOptions({ cwd: dir, permissionMode }), { code: "config_invalid", message: "not valid for codex", details: { key: "permissionMode" } });
    }
  });

  it("refuses a reasoning effort the SDK's type has no value for", () => {
    expectAsmError(() => codexThreadOptions({ cwd: dir, reasoningEffort: "max" }), { code: "config_invalid", details: { key: "reasoningEffort" } });
  });

  it("merges native overrides last", () => {
    expect(codexThreadOptions({ cwd: dir }, { networkAccessEnabled: true, webSearchMode: "disabled" })).toMatchObject({ networkAccessEnabled: true, webSearchMode: "disabled" });
  });

  for (const key of ["model", "modelReasoningEffort", "workingDirectory", "additionalDirectories", "sandboxMode", "approvalPolicy", "skipGitRepoCheck", "outputSchema"]) {
    it(`refuses the native override ${key}, naming it`, () => {
      expectAsmError(() => codexThreadOptions({ cwd: dir }, { [key]: undefined }), { code: "config_invalid", details: { key: key } });
    });
  }

  it("refuses what codex exec through the SDK cannot honour instead of dropping it", () => {
    for (const [key, value] of [
      ["outputSchema", { type: "object" }],
      ["profile", "ci"],
      ["modelProvider", "local"],
      ["ossProvider", "lmstudio"],
      ["ollama", true],
      ["idleTimeoutMs", 1_000],
      ["wallTimeoutMs", 1_000],
      ["secretEnv", ["TOKEN"]],
      ["maxLineBytes", 1024],
      ["extraArgs", ["--debug"]],
    ] as const) {
      expectAsmError(() => codexThreadOptions({ cwd: dir, [key]: value }), { code: "config_invalid", details: { key: key } });
    }
  });

  it("refuses unknown options, ASM's run keys and bad values, naming the field", () => {
    expectAsmError(() => codexThreadOptions({ cwd: dir, workingDirectory: dir } as never), { code: "config_invalid", details: { key: "workingDirectory" } });
    expectAsmError(() => codexThreadOptions({ cwd: dir, allowedTools: ["shell"] } as never), { code: "config_invalid", details: { key: "allowedTools" } });
    expectAsmError(() => codexThreadOptions({ cwd: dir, skipGitRepoCheck: "yes" } as never), { code: "config_invalid", details: { key: "skipGitRepoCheck" } });
    expectAsmError(() => codexThreadOptions({ cwd: dir, additionalDirectories: [""] }), { code: "config_invalid", details: { key: "additionalDirectories.0" } });
    expectAsmError(() => codexThreadOptions({ cwd: join(dir, "missing") }), { code: "config_invalid", details: { key: "cwd" } });
  });
});
