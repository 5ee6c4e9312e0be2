import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Options of {@link writeGeminiCliSettings}. */
export interface GeminiCliSettingsOptions {
  /** `general.maxAttempts`: tries per model request, retries of 5xx included (default 1: no retries). */
  maxAttempts?: number;
  /** More top-level settings sections, merged one level deep over the defaults. */
  settings?: Record<string, Record<string, unknown>>;
}

/**
 * The `~/.gemini/settings.json` that makes Gemini CLI 0.61 run headless against a fake API: API-key
 * auth (without it, a custom base URL selects the `gateway` auth type, which headless mode rejects
 * with exit 41), no usage statistics, no telemetry, no update checks, and bounded retries.
 */
export function geminiCliSettings(options: GeminiCliSettingsOptions = {}): Record<string, Record<string, unknown>> {
  const settings: Record<string, Record<string, unknown>> = {
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, maxAttempts: options.maxAttempts ?? 1 },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    security: { auth: { selectedType: "gemini-api-key" } },
  };
  for (const [section, values] of Object.entries(options.settings ?? {})) settings[section] = { ...settings[section], ...values };
  return settings;
}

/** Writes {@link geminiCliSettings} to `<home>/.gemini/settings.json`; returns the file's path. */
export async function writeGeminiCliSettings(home: string, options: GeminiCliSettingsOptions = {}): Promise<string> {
  const directory = join(home, ".gemini");
  await mkdir(directory, { recursive: true });
  const path = join(directory, "settings.json");
  await writeFile(path, `${JSON.stringify(geminiCliSettings(options), null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Options of {@link geminiCliEnv}. */
export interface GeminiCliEnvOptions {
  /** The fake API's base URL (`server.url`). */
  baseUrl: string;
  /** The throwaway HOME holding `.gemini/settings.json`. */
  home: string;
  /** A throwaway TMPDIR (the CLI writes error reports there). */
  tmpdir?: string;
  /** Defaults to `dummy-gemini-key`. */
  apiKey?: string;
  /** Sets `GEMINI_CLI_TRUST_WORKSPACE=true` (default true); headless runs in an untrusted folder exit 55. */
  trustWorkspace?: boolean;
}

/** The environment variables that point Gemini CLI at a fake API with a throwaway HOME. */
export function geminiCliEnv(options: GeminiCliEnvOptions): Record<string, string> {
  return {
    HOME: options.home,
    ...(options.tmpdir === undefined ? {} : { TMPDIR: options.tmpdir }),
    GEMINI_API_KEY: options.apiKey ?? "dummy-gemini-key",
    GOOGLE_GEMINI_BASE_URL: options.baseUrl,
    GEMINI_TELEMETRY_ENABLED: "false",
    NO_COLOR: "1",
    ...(options.trustWorkspace === false ? {} : { GEMINI_CLI_TRUST_WORKSPACE: "true" }),
  };
}
