import type { ProviderDefinition } from "@asm/contract";
import type { Asm } from "@asm/core";
import { optionsFromFlags } from "../args/option-flags.js";
import { resolvePermissionFlags } from "../args/permission-flags.js";
import type { RunRequest } from "../args/run-args.js";

/**
 * The session options of a parsed `asm run` / `asm chat` command line: the flags' options, the
 * provider options from `--option`, the resolved permission mode, and (for Claude on a terminal)
 * partial messages, since live text is the point there.
 */
export function sessionOptionsFor(request: RunRequest, provider: ProviderDefinition, asm: Asm): Record<string, unknown> {
  const permission = resolvePermissionFlags(
    { flag: request.permissionMode, dangerFullAccess: request.dangerFullAccess },
    (native) => asm.permissionMode(provider.name, native).normalizedMode,
  );
  const sessionOptions: Record<string, unknown> = { ...optionsFromFlags(request.providerOptions, provider), ...request.sessionOptions };
  if (permission !== undefined) sessionOptions.permissionMode = permission.mode;
  if (provider.name === "claude" && !request.output.json && sessionOptions.includePartialMessages === undefined) sessionOptions.includePartialMessages = true;
  return sessionOptions;
}
