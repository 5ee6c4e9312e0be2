import { homedir } from "node:os";
import { AsmError } from "@asm/contract";
import { claudeSessions } from "./session-stores/claude.js";
import { codexSessions } from "./session-stores/codex.js";
import type { ProviderSessionEntry } from "./session-stores/entry.js";
import { geminiSessions } from "./session-stores/gemini.js";
import type { SessionStoreQuery } from "./session-stores/query.js";

/** Options of {@link listProviderSessions}. */
export interface ListProviderSessionsOptions {
  /** Only conversations that ran in this working directory. */
  cwd?: string;
  /** Variables that locate the stores (`HOME`, `CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`); defaults to the host's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** At most this many, newest first; default 50. */
  limit?: number;
}

const STORES: Readonly<Record<string, (query: SessionStoreQuery) => ProviderSessionEntry[]>> = {
  claude: claudeSessions,
  codex: codexSessions,
  gemini: geminiSessions,
};

/**
 * The conversations a provider's CLI can resume, newest first, read from the CLI's own session
 * store on disk (Claude's project transcripts, Codex's rollouts, Gemini's chats) and normalized to
 * one entry shape, so a user can pick one and resume it by id on either lane. Files are only
 * read (their head), never written. Amp keeps its threads on its server: `unsupported`.
 *
 * @example
 * ```ts
 * const [latest] = listProviderSessions("claude", { cwd: process.cwd() });
 * if (latest) await session.query("Go on", { continuation: { strategy: "exact", providerSessionId: latest.id } });
 * ```
 */
export function listProviderSessions(provider: string, options: ListProviderSessionsOptions = {}): ProviderSessionEntry[] {
  const store = STORES[provider];
  if (store === undefined) {
    throw new AsmError("unsupported", `${provider} keeps no session store ASM can read (claude, codex and gemini do)`, { provider, details: { key: "provider" } });
  }
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1) throw new AsmError("config_invalid", "limit must be a positive integer", { details: { key: "limit" } });
  if (options.cwd !== undefined && (typeof options.cwd !== "string" || options.cwd === "")) {
    throw new AsmError("config_invalid", "cwd must be a non-empty path", { details: { key: "cwd" } });
  }
  const env = options.env ?? process.env;
  const entries = store({ cwd: options.cwd, env, home: env.HOME ?? homedir() });
  return entries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id)).slice(0, limit);
}
