import { AsmError, isPermissionMode, KERNEL_OPTION_KEYS } from "@asm/contract";
import { codex, codexOptionsSchema } from "@asm/codex";
import { commonProviderOptionsSchema, isRecord } from "@asm/provider-utils";
import type { CodexThreadInput } from "./thread-plan.js";

/** The kernel keys the bridges read; every other one belongs to ASM's own runs and is refused. */
const READ_KERNEL_KEYS = new Set(["provider", "permissionMode"]);
const KERNEL_KEYS = new Set<string>(KERNEL_OPTION_KEYS);

/** Codex's options as the kernel validates them: the common keys and Codex's own, strictly. */
const codexRunSchema = codexOptionsSchema.extend(commonProviderOptionsSchema.shape);

function invalid(who: string, message: string, key: string, extra: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", `${who}: ${message}`, { provider: "codex", details: { key, ...extra } });
}

/**
 * Reads the options a Codex run takes (`provider`, `permissionMode` and the provider options) as
 * the kernel would: strictly, validated with the Codex provider's schema and normalized by it,
 * naming the first bad key in `details.key`. A kernel key with no counterpart outside ASM's own
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
  const parsed = codexRunSchema.safeParse(providerKeys);
  if (!parsed.success) {
    const unknownKeys = parsed.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
    if (unknownKeys.length > 0) {
      throw invalid(who, `unknown option${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((key) => `"${key}"`).join(", ")} for codex`, unknownKeys[0] ?? "", { keys: unknownKeys });
    }
    const first = parsed.error.issues[0];
    const path = first?.path.join(".") ?? "";
    throw invalid(who, `invalid option "${path}" for codex: ${first?.message ?? "invalid"}`, path);
  }
  const definition = codex();
  const providerOptions = definition.normalizeOptions ? (definition.normalizeOptions(parsed.data) as Record<string, unknown>) : parsed.data;
  return { providerOptions, ...(mode === undefined ? {} : { permissionMode: mode }) };
}
