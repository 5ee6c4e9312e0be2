/** Options of {@link fakeCodexConfigToml}. */
export interface FakeCodexConfigOptions {
  /** The fake server's API base URL (`server.baseUrl`, ending in `/v1`). */
  baseUrl: string;
  /** The model slug (default `gpt-5.5`, one codex 0.169.0 knows, so it prints no metadata notices). */
  model?: string;
  /** The `model_providers` id (default `fake`). */
  providerId?: string;
  /** The environment variable holding the API key (default `FAKE_OPENAI_API_KEY`). */
  envKey?: string;
  /** `request_max_retries` and `stream_max_retries` of the provider (default 0). */
  retries?: number;
}

const FEATURES_OFF = [
  "plugins",
  "remote_plugin",
  "plugin_sharing",
  "apps",
  "tool_suggest",
  "skill_mcp_dependency_install",
  "in_app_updates",
  "daemon_auto_start",
  "unbounded_connection_retries",
  "browser_use",
  "computer_use",
  "image_generation",
];

/**
 * A `$CODEX_HOME/config.toml` that points `codex` at a fake Responses server and turns off
 * everything that would reach the network (update checks, analytics, feedback, telemetry, plugin
 * syncs), with bounded retries. Verified with codex 0.169.0; the API key is read from `envKey`.
 *
 * @example
 * ```ts
 * await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl }));
 * // env: { HOME, CODEX_HOME: codexHome, FAKE_OPENAI_API_KEY: "dummy" }
 * ```
 */
export function fakeCodexConfigToml(options: FakeCodexConfigOptions): string {
  const provider = options.providerId ?? "fake";
  const retries = options.retries ?? 0;
  return [
    `model = ${JSON.stringify(options.model ?? "gpt-5.5")}`,
    `model_provider = ${JSON.stringify(provider)}`,
    "check_for_update_on_startup = false",
    "",
    "[analytics]",
    "enabled = false",
    "",
    "[feedback]",
    "enabled = false",
    "",
    "[otel]",
    'exporter = "none"',
    "",
    "[features]",
    ...FEATURES_OFF.map((feature) => `${feature} = false`),
    "",
    `[model_providers.${provider}]`,
    'name = "Fake"',
    `base_url = ${JSON.stringify(options.baseUrl)}`,
    `env_key = ${JSON.stringify(options.envKey ?? "FAKE_OPENAI_API_KEY")}`,
    'wire_api = "responses"',
    `request_max_retries = ${retries}`,
    `stream_max_retries = ${retries}`,
    "",
  ].join("\n");
}
