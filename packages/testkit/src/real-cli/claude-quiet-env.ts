/**
 * Variables that turn off every call Claude Code makes besides the model API (telemetry, updates,
 * error reports, feature flags, surveys, marketplace). With them, a real `claude` talks only to
 * `ANTHROPIC_BASE_URL` — verified with strace in a loopback-only network namespace — so it can run
 * offline against a fake model server.
 */
export const CLAUDE_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  DISABLE_TELEMETRY: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_UPDATES: "1",
  DISABLE_ERROR_REPORTING: "1",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_GROWTHBOOK: "1",
  CLAUDE_CODE_DISABLE_FEATURE_FLAGS: "1",
  DISABLE_INSTALLATION_CHECKS: "1",
  CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
  CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
  DISABLE_BUG_COMMAND: "1",
  DISABLE_COST_WARNINGS: "1",
});
