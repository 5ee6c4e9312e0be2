// Common options that have a flag of their own in `asm run`.
const FLAG_FOR: Readonly<Record<string, string>> = {
  permissionMode: "--permission-mode",
  model: "--model",
  cwd: "--cwd",
  cliPath: "--cli-path",
  lane: "--lane",
  wallTimeoutMs: "--timeout",
  idleTimeoutMs: "--idle-timeout",
  ollama: "--ollama",
  ollamaModel: "--ollama-model",
  ollamaBaseUrl: "--ollama-base-url",
};

/**
 * Rewrites the option names in an error's hint into the command line that sets them, so a hint
 * names flags that exist: `permissionMode "default"` becomes `--permission-mode default`, `the
 * sandbox option "read-only"` becomes `--option sandbox=read-only`, and `option "maxTurns"`
 * gains `(--option maxTurns=…)`; `the cliPath option` becomes `--cli-path`.
 */
export function flagHints(message: string): string {
  return message
    .replace(/\bpermissionMode "([^"]+)"/g, "--permission-mode $1")
    .replace(/\bthe (\w+) option "([^"]+)"/g, (_all, key: string, value: string) => (FLAG_FOR[key] ? `${FLAG_FOR[key]} ${value}` : `--option ${key}=${value}`))
    .replace(/\bthe (\w+) option\b(?! ")/g, (all, key: string) => FLAG_FOR[key] ?? (/^[a-z]+[A-Z]/.test(key) ? `--option ${key}=…` : all))
    .replace(/\boption "(\w+)"/g, (all, key: string) => `${all} (${FLAG_FOR[key] ?? `--option ${key}=…`})`);
}
