import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectAsmError } from "@asm/testkit/assertions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codexAppServerThreadParams } from "./index.js";

// codexAppServerThreadParams on its own: the mapping, the permission modes, every refusal. The
// real `codex app-server` takes these parameters in packages/e2e/test/codex-app-server-bridge.test.ts.

describe("codexAppServerThreadParams", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "asm-codex-params-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("asks before untrusted commands in the workspace-write sandbox by default", () => {
    expect(codexAppServerThreadParams({ cwd: dir })).toEqual({ cwd: dir, approvalPolicy: "untrusted", sandbox: "workspace-write" });
    expect(codexAppServerThreadParams({ cwd: dir, permissionMode: "default", sandbox: "read-only" })).toEqual({ cwd: dir, approvalPolicy: "untrusted", sandbox: "read-only" });
  });

  it("never asks and drops the sandbox in bypass mode; bypass with a sandbox is refused", () => {
    expect(codexAppServerThreadParams({ cwd: dir, permissionMode: "bypass" })).toEqual({ cwd: dir, approvalPolicy: "never", sandbox: "danger-full-access" });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, permissionMode: "bypass", sandbox: "read-only" }), { code: "config_invalid", details: { key: "sandbox" } });
  });

  it("refuses auto and plan, which Codex does not have, and a mode that is not ASM's", () => {
    for (const permissionMode of ["auto", "plan", "yolo"]) {
      expectAsmError(() => codexAppServerThreadParams({ cwd: dir, permissionMode } as never), { code: "config_invalid", details: { key: "permissionMode" } });
    }
  });

  it("maps model and reasoning effort; skipGitRepoCheck is accepted (app-server makes no Git check)", () => {
    expect(codexAppServerThreadParams({ cwd: dir, model: "gpt-5.5", reasoningEffort: "high", skipGitRepoCheck: true, provider: "codex" })).toEqual({
      cwd: dir,
      model: "gpt-5.5",
      approvalPolicy: "untrusted",
      sandbox: "workspace-write",
      config: { model_reasoning_effort: "high" },
    });
  });

  it("merges native overrides last, config key by key", () => {
    expect(codexAppServerThreadParams({ cwd: dir, reasoningEffort: "low" }, { ephemeral: true, config: { "features.web_search": false } })).toMatchObject({
      ephemeral: true,
      config: { model_reasoning_effort: "low", "features.web_search": false },
    });
  });

  for (const [key, value] of [
    ["cwd", "/elsewhere"],
    ["model", "gpt-5.5"],
    ["approvalPolicy", "never"],
    ["sandbox", "danger-full-access"],
  ] as const) {
    it(`refuses the native override ${key}, naming it`, () => {
      expectAsmError(() => codexAppServerThreadParams({ cwd: dir }, { [key]: value }), { code: "config_invalid", details: { key: key } });
    });
  }

  it("refuses config overrides of what ASM owns", () => {
    for (const key of ["model_reasoning_effort", "sandbox_mode", "approval_policy", "model"]) {
      expectAsmError(() => codexAppServerThreadParams({ cwd: dir }, { config: { [key]: "x" } }), { code: "config_invalid", details: { key: `config.${key}` } });
    }
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir }, { config: "model=x" }), { code: "config_invalid", details: { key: "config" } });
  });

  it("refuses the process settings, which thread/start has no place for", () => {
    for (const [key, value] of [
      ["cliPath", "/usr/bin/codex"],
      ["env", { A: "1" }],
      ["idleTimeoutMs", 1_000],
      ["wallTimeoutMs", 1_000],
    ] as const) {
      expectAsmError(() => codexAppServerThreadParams({ cwd: dir, [key]: value }), { code: "config_invalid", details: { key: key } });
    }
  });

  it("refuses Codex options app-server has no parameter for", () => {
    for (const [key, value] of [
      ["systemPrompt", "Be brief."],
      ["outputSchema", { type: "object" }],
      ["configOverrides", { "features.x": true }],
      ["additionalDirectories", ["/srv"]],
      ["profile", "ci"],
      ["ollama", true],
      ["extraArgs", ["--debug"]],
    ] as const) {
      expectAsmError(() => codexAppServerThreadParams({ cwd: dir, [key]: value }), { code: "config_invalid", details: { key: key } });
    }
  });

  it("refuses unknown options, a wrong provider, ASM's run keys and invalid values, naming the field", () => {
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, sandboxMode: "read-only" } as never), { code: "config_invalid", details: { key: "sandboxMode" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, provider: "claude" } as never), { code: "config_invalid", details: { key: "provider" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, lane: "sdk" } as never), { code: "config_invalid", details: { key: "lane" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, continuation: { strategy: "latest" } } as never), { code: "config_invalid", details: { key: "continuation" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, reasoningEffort: "huge" } as never), { code: "config_invalid", details: { key: "reasoningEffort" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: dir, sandbox: "open" } as never), { code: "config_invalid", details: { key: "sandbox" } });
    expectAsmError(() => codexAppServerThreadParams({ cwd: join(dir, "missing") }), { code: "config_invalid", details: { key: "cwd" } });
  });
});
