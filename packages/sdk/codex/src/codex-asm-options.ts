import type { CodexOptionsInput } from "@asm/codex";
import type { CommonProviderOptions } from "@asm/provider-utils";

/**
 * What the Codex bridges read: the options an ASM run takes for Codex. That is the provider
 * (`"codex"` or unset), the normalized `permissionMode`, and the provider options (`cwd`, `env`,
 * `cliPath`, `model`, `reasoningEffort`, `sandbox`, `skipGitRepoCheck`…). Each bridge honours the
 * ones its target has a counterpart for and refuses the rest by name.
 */
export type CodexAsmOptions = CodexOptionsInput &
  CommonProviderOptions & {
    provider?: "codex";
    permissionMode?: "default" | "auto" | "bypass" | "plan";
  };
