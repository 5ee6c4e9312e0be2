import { APP_SERVER_BRIDGE_SURFACE, appServerThreadParams, REASONING_EFFORT_CONFIG_KEY } from "./internal/app-server-params.js";
import { readCodexBridgeOptions } from "./internal/asm-options.js";
import { mergeNativeOverrides } from "./internal/native-overrides.js";
import { planCodexThread, type CodexApprovalPolicy, type CodexSandboxMode } from "./internal/thread-plan.js";
import { workingDirectory } from "./internal/working-directory.js";
import type { CodexAsmOptions } from "./codex-asm-options.js";

/** Parameters of app-server's `thread/start` request (and `thread/resume`, with a `threadId`), as ASM sets them. */
export interface CodexAppServerThreadParams {
  cwd: string;
  model?: string;
  /** `untrusted` (ask before every untrusted command) by default, `never` in bypass mode. */
  approvalPolicy: CodexApprovalPolicy;
  sandbox: CodexSandboxMode;
  /** Configuration overrides; ASM sets `model_reasoning_effort` from `reasoningEffort`. */
  config?: Record<string, unknown>;
  [param: string]: unknown;
}

/** Parameters ASM sets from its options; a native override may not replace them. */
const OWNED = { keys: ["cwd", "model", "approvalPolicy", "sandbox"], configKeys: ["model", REASONING_EFFORT_CONFIG_KEY, "sandbox_mode", "approval_policy"] };

const WHO = "codexAppServerThreadParams";

/**
 * The `thread/start` parameters of `codex app-server` from ASM's options for a Codex run, mapped
 * exactly as the app-server lane maps them, for callers who run app-server themselves. It honours
 * `cwd`, `model`, `reasoningEffort`, `sandbox` and `skipGitRepoCheck` (app-server makes no Git
 * check) and the permission mode: `default` asks before untrusted commands in the
 * `workspace-write` sandbox (or `sandbox`), `bypass` never asks and has no sandbox. `auto` and
 * `plan` do not exist for Codex and are refused. Start the process yourself: `cliPath` and `env`
 * are refused here.
 *
 * `nativeOverrides` go on last (`approvalsReviewer`, `ephemeral`, more `config` keys…); they may
 * not set `cwd`, `model`, `approvalPolicy`, `sandbox`, nor the `config` keys ASM owns.
 * Everything wrong is `AsmError("config_invalid")` naming the field in `details.key`.
 *
 * @example
 * ```ts
 * const params = codexAppServerThreadParams({ cwd: repo, model: "gpt-5.5", reasoningEffort: "high" }, { ephemeral: true });
 * const { thread } = await rpc.request("thread/start", params);
 * ```
 */
export function codexAppServerThreadParams(asmOptions: CodexAsmOptions = {}, nativeOverrides?: Readonly<Record<string, unknown>>): CodexAppServerThreadParams {
  const input = readCodexBridgeOptions(asmOptions, WHO);
  const plan = planCodexThread(input, APP_SERVER_BRIDGE_SURFACE);
  const mapped = { cwd: workingDirectory(input.providerOptions["cwd"], WHO), ...appServerThreadParams(plan) } as CodexAppServerThreadParams;
  return mergeNativeOverrides(mapped, nativeOverrides, OWNED, WHO);
}
