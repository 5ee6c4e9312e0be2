import { AsmError, isPermissionMode, KERNEL_OPTION_KEYS, type PermissionMode } from "@asm/contract";
import { claude } from "@asm/claude";
import { validateProviderOptions } from "@asm/core";
import { isRecord } from "@asm/provider-utils";

/** ASM's options for one Claude run, read for a caller who drives the SDK itself. */
export interface ClaudeBridgeOptions {
  /** Common and Claude keys, validated and normalized as the kernel does for a run. */
  providerOptions: Record<string, unknown>;
  permissionMode?: PermissionMode;
  /** Claude Code's rendering of `permissionMode`, from the provider's permission table. */
  nativePermissionMode?: string;
}

/** The kernel keys the bridge reads; every other one belongs to ASM's own runs and is refused. */
const READ_KERNEL_KEYS = new Set(["provider", "permissionMode"]);
const KERNEL_KEYS = new Set<string>(KERNEL_OPTION_KEYS);
/** One definition for every call: the kernel caches a provider's schema by its definition. */
const CLAUDE = claude();

/** Common keys ASM's runs honour that a caller-driven SDK cannot, and what to do instead. */
const NOT_HONOURED: Readonly<Record<string, string>> = {
  idleTimeoutMs: "the SDK has no idle timeout; stop the query with your own abortController",
  wallTimeoutMs: "the SDK has no run timeout; stop the query with your own abortController",
  secretEnv: "ASM redacts secrets only from what it emits itself, and the SDK's messages never pass through ASM",
  permissionPromptTool: "set the SDK's permissionPromptToolName in the native overrides",
};

function invalid(message: string, key: string, extra: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", `claudeSdkOptions: ${message}`, { provider: "claude", details: { key, ...extra } });
}

function permissionOf(mode: unknown): Pick<ClaudeBridgeOptions, "permissionMode" | "nativePermissionMode"> {
  if (mode === undefined) return {};
  if (!isPermissionMode(mode)) throw invalid(`invalid permissionMode ${JSON.stringify(mode)}; expected default, auto, bypass or plan`, "permissionMode");
  const row = CLAUDE.permissionModes[mode];
  // Every mode has a Claude rendering today; a row the provider drops must fail, not fall back.
  if ("unsupported" in row) throw invalid(`permissionMode "${mode}" is not valid for claude: ${row.unsupported}`, "permissionMode");
  return { permissionMode: mode, nativePermissionMode: row.nativeMode };
}

/**
 * Reads the options a Claude run takes (`provider`, `permissionMode` and the provider options),
 * as the kernel does (its own `validateProviderOptions`): strictly, naming the first bad key in
 * `details.key`. A kernel key the vendor SDK has no counterpart for (`lane`, `continuation`,
 * `allowedTools`…) is refused, never dropped.
 */
export function readClaudeBridgeOptions(asmOptions: unknown): ClaudeBridgeOptions {
  if (asmOptions === undefined) asmOptions = {};
  if (!isRecord(asmOptions)) throw invalid("ASM options must be an object", "asmOptions");
  const provider = asmOptions["provider"];
  if (provider !== undefined && provider !== "claude") throw invalid(`provider is ${JSON.stringify(provider)}; these options are for claude`, "provider");

  const providerKeys: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asmOptions)) {
    if (value === undefined || READ_KERNEL_KEYS.has(key)) continue;
    if (KERNEL_KEYS.has(key)) throw invalid(`${key} is an option of ASM's own runs, with no counterpart when you drive the SDK yourself`, key);
    const why = NOT_HONOURED[key];
    if (why !== undefined) throw invalid(`cannot honour ${key}: ${why}`, key);
    providerKeys[key] = value;
  }

  return { providerOptions: prefixed(() => validateProviderOptions(CLAUDE, providerKeys)), ...permissionOf(asmOptions["permissionMode"]) };
}

/** The kernel's verdict on the provider options, with the bridge named in the message. */
function prefixed<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!AsmError.isInstance(error)) throw error;
    throw new AsmError(error.code, `claudeSdkOptions: ${error.reason}`, { provider: "claude", details: error.details });
  }
}
