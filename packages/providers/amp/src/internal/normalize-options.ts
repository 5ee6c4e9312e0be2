import { configError } from "@asm/contract";
import { rejectOllamaOptions } from "@asm/provider-utils";
import { ampOptionsSchema, type AmpOptions } from "../options.js";

/**
 * Validates Amp's provider-specific options (no common keys) and returns them typed. Throws
 * `AsmError("config_invalid")` naming every offending key, unknown keys included.
 */
export function parseAmpOptions(input: unknown): AmpOptions {
  const parsed = ampOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") return `unknown option(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      const path = issue.path.length === 0 ? "options" : issue.path.map(String).join(".");
      return `${path}: ${issue.message}`;
    });
    throw configError(`invalid Amp options: ${problems.join("; ")}`, {
      provider: "amp",
      details: { issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })) },
    });
  }
  assertAmpOptionsConsistent(parsed.data);
  return parsed.data;
}

/**
 * The kernel's provider hook: checks what the schema alone cannot (the Ollama surface, option
 * combinations) on the merged common + provider options, and returns them unchanged. Throws
 * `AsmError("unsupported")` for the Ollama surface, `config_invalid` for a bad combination.
 */
export function normalizeAmpOptions<Options extends Readonly<Record<string, unknown>>>(options: Options): Options {
  rejectOllamaOptions(options, {
    provider: "amp",
    displayName: "Amp",
    reason: "Amp's agent runs on Amp's servers. Use the claude or codex provider for Ollama.",
  });
  assertAmpOptionsConsistent(options);
  return options;
}

function assertAmpOptionsConsistent(options: Readonly<Record<string, unknown>>): void {
  if (options.model !== undefined) {
    throw configError("Amp has no model option: it picks the model from its agent mode. Drop model and set mode (low, medium, high, ultra) instead.", {
      provider: "amp",
      details: { key: "model" },
    });
  }
  if (options.settingsFile === undefined) return;
  const combined = (["permissions", "tools"] as const).filter((key) => options[key] !== undefined);
  if (combined.length > 0) {
    throw configError(
      `Amp option settingsFile cannot be combined with ${combined.join(" and ")}: Amp reads one settings ` +
        'file per run. Put "amp.permissions" / "amp.tools.enable" in that file instead.',
      { provider: "amp", details: { keys: ["settingsFile", ...combined] } },
    );
  }
}
