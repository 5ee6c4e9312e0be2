import { AsmError, isPermissionMode, KERNEL_OPTION_KEYS } from "@asm/contract";
import { codex } from "@asm/codex";
import { validateProviderOptions } from "@asm/core";
import { isRecord } from "@asm/provider-utils";
import type { CodexThreadInput } from "./thread-plan.js";

/** The kernel keys the bridges read; every other one belongs to ASM's own runs and is refused. */
const READ_KERNEL_KEYS = new Set(["provider", "permissionMode"]);
const KERNEL_KEYS = new Set<string>(KERNEL_OPTION_KEYS);
/** One definition for every call: the kernel caches a provider's schema by its definition. */
const CODEX = codex();

function invalid(who: string, message: string, key: string, extra: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", `${who}: ${message}`, { provider: "codex", details: { key, ...extra } });
}

/**
 * Reads the options a Codex run takes (`provider`, `permissionMode` and the provider options) as
 * the kernel would: strictly, validated with the Codex provider's schema and normalized by it,
 * naming the first bad key in `details.key` (the kernel's own `validateProviderOptions`). A kernel key with no counterpart outside ASM's own
 * runs (`lane`, `continuation`, `allowedTools`…) is refused, never dropped. Which provider options
 * a bridge honours is the thread plan's business.
 */
export function readCodexBridgeOptions(asmOptions: unknown, who: string): CodexThreadInput {
  if (asmOptions === undefined) asmOptions = {};
  if (!isRecord(asmOptions)) throw invalid(who, "ASM options must be an object", "asmOptions");
  const provider = asmOptions["provider"];
  if (provider !== undefined && provider !== "codex") throw invalid(who, `provider is ${JSON.stringify(provider)}; these options are for codex`, "provider");
  const mode = asmOptions["permissionMode"];
  if (mode !== undefined && !isPermissionMode(mode)) throw invalid(who, `invalid permissionMode ${JSON.stringify(mode)}; expected default, auto, bypass or plan`, "permissionMode");

  const providerKeys: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asmOptions)) {
    if (value === undefined || READ_KERNEL_KEYS.has(key)) continue;
    if (KERNEL_KEYS.has(key)) throw invalid(who, `${key} is an option of ASM's own runs, with no counterpart when you drive Codex yourself`, key);
    providerKeys[key] = value;
  }
  let providerOptions: Record<string, unknown>;
  try {
    providerOptions = validateProviderOptions(CODEX, providerKeys);
  } catch (error) {
    if (!AsmError.isInstance(error)) throw error;
    throw new AsmError(error.code, `${who}: ${error.reason}`, { provider: "codex", details: error.details });
  }
  return { providerOptions, ...(mode === undefined ? {} : { permissionMode: mode }) };
}
