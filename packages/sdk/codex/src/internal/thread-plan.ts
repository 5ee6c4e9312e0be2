import { AsmError, type PermissionMode } from "@asm/contract";
import { codex } from "@asm/codex";

/** Codex's sandbox policies. */
export type CodexSandboxMode = "read-only" | "workspace-write" | "danger-full-access";

/** The approval policies the mapping sets. */
export type CodexApprovalPolicy = "never" | "untrusted";

/** One Codex thread's settings, read from a run's options, before they are rendered for app-server or the SDK. */
export interface CodexThreadPlan {
  model?: string;
  reasoningEffort?: string;
  /** Unset leaves Codex's own default. */
  sandbox?: CodexSandboxMode;
  /** Unset leaves Codex's own default. */
  approvalPolicy?: CodexApprovalPolicy;
  skipGitRepoCheck: boolean;
  additionalDirectories?: string[];
  systemPrompt?: string;
  configOverrides?: Record<string, unknown>;
}

/** What the thread will run on: who is planning (for messages), whether it can stop to ask, what it honours. */
export interface CodexThreadSurface {
  /** `the codex app-server lane`, `codexThreadOptions`. */
  who: string;
  /** Whether the agent can pause for an approval (app-server can; `codex exec` cannot). */
  canAsk: boolean;
  /** Provider option keys this surface honours; every other key set is refused. */
  honours: ReadonlySet<string>;
  /** Why some refused keys are refused, and what to use instead. */
  reasons?: Readonly<Record<string, string>>;
}

/** What the plan is made from: a run's validated provider options and its normalized permission mode. */
export interface CodexThreadInput {
  providerOptions: Record<string, unknown>;
  permissionMode?: PermissionMode;
}

function refuse(who: string, key: string, why: string): AsmError {
  return new AsmError("config_invalid", `${who} cannot honour ${key}: ${why}`, { provider: "codex", details: { key } });
}

function permissionPosture(input: CodexThreadInput, sandbox: CodexSandboxMode | undefined, surface: CodexThreadSurface): Pick<CodexThreadPlan, "sandbox" | "approvalPolicy"> {
  const mode = input.permissionMode ?? "default";
  const row = codex().permissionModes[mode];
  // The provider's table decides which modes exist (auto and plan do not): fail closed.
  if ("unsupported" in row) throw refuse(surface.who, "permissionMode", `"${mode}" is not valid for codex: ${row.unsupported}`);
  if (mode === "bypass") {
    if (sandbox !== undefined) throw refuse(surface.who, "sandbox", 'it cannot be combined with permissionMode "bypass" (bypass turns the sandbox off); remove one');
    return { sandbox: "danger-full-access", approvalPolicy: "never" };
  }
  // A surface that can stop and ask does so for every untrusted command; one that cannot keeps Codex's default.
  if (surface.canAsk) return { sandbox: sandbox ?? "workspace-write", approvalPolicy: "untrusted" };
  return sandbox === undefined ? {} : { sandbox };
}

/**
 * Reads one run's Codex options into thread settings. Every option set is either honoured by the
 * surface or refused with `config_invalid` naming it: nothing is dropped. The app-server lane,
 * `codexAppServerThreadParams` and the Codex SDK bridges all plan through here.
 */
export function planCodexThread(input: CodexThreadInput, surface: CodexThreadSurface): CodexThreadPlan {
  for (const [key, value] of Object.entries(input.providerOptions)) {
    if (value === undefined || surface.honours.has(key) || (Array.isArray(value) && value.length === 0)) continue;
    throw refuse(surface.who, key, surface.reasons?.[key] ?? "it has no counterpart there");
  }
  const options = input.providerOptions as {
    model?: string;
    reasoningEffort?: string;
    sandbox?: CodexSandboxMode;
    skipGitRepoCheck?: boolean;
    additionalDirectories?: string[];
    systemPrompt?: string;
    configOverrides?: Record<string, unknown>;
  };
  return {
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.reasoningEffort === undefined ? {} : { reasoningEffort: options.reasoningEffort }),
    ...permissionPosture(input, options.sandbox, surface),
    skipGitRepoCheck: options.skipGitRepoCheck === true,
    ...(options.additionalDirectories === undefined || options.additionalDirectories.length === 0 ? {} : { additionalDirectories: [...options.additionalDirectories] }),
    ...(options.systemPrompt === undefined ? {} : { systemPrompt: options.systemPrompt }),
    ...(options.configOverrides === undefined ? {} : { configOverrides: { ...options.configOverrides } }),
  };
}
