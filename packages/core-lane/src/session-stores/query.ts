/** Where and what a session store reader looks for. */
export interface SessionStoreQuery {
  /** Only conversations of this working directory. */
  cwd: string | undefined;
  /** The home folder the CLIs keep their stores under. */
  home: string;
  /** Variables that move the stores (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`). */
  env: Readonly<Record<string, string | undefined>>;
}
