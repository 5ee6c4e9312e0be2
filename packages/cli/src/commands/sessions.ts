import { resolve } from "node:path";
import { listProviderSessions } from "@asm/core-lane";
import { painter } from "@asm/rendering";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider } from "../providers.js";

/** `asm sessions --help`. */
export const SESSIONS_USAGE = `usage: asm sessions --provider <claude|codex|gemini> [--cwd <dir> | --all] [--limit N] [--json]

Lists the conversations the provider's CLI can resume, newest first, read from its own session
store (claude: ~/.claude/projects, codex: ~/.codex/sessions, gemini: ~/.gemini/tmp/*/chats):
id, last change, working directory and first prompt. By default only those of the current folder
(or --cwd); --all lists every folder's. Resume one with asm run --resume <id>.
`;

/** `asm sessions --provider <p>`: the provider's resumable conversations (see {@link SESSIONS_USAGE}). */
export async function sessionsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { provider: { type: "string" }, cwd: { type: "string" }, all: { type: "boolean" }, limit: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    "sessions",
  );
  if (booleanFlag(values, "help") || positionals.length > 0) {
    await print(io.stdout, SESSIONS_USAGE);
    return positionals.length > 0 ? 2 : 0;
  }
  const name = stringFlag(values, "provider");
  if (name === undefined) throw usageError("--provider is required", { flag: "--provider" });
  const cwdFlag = stringFlag(values, "cwd");
  if (cwdFlag !== undefined && booleanFlag(values, "all")) throw usageError("--cwd and --all exclude each other", { flag: "--all" });
  const limitText = stringFlag(values, "limit");
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit must be a positive whole number (got "${limitText ?? ""}")`, { flag: "--limit" });
  const provider = findProvider(name);
  const cwd = booleanFlag(values, "all") ? undefined : resolve(io.cwd, cwdFlag ?? ".");
  const entries = listProviderSessions(provider.name, { ...(cwd === undefined ? {} : { cwd }), env: io.env, limit });
  if (booleanFlag(values, "json")) {
    await print(io.stdout, entries.length === 0 ? "" : `${entries.map((entry) => JSON.stringify(entry)).join("\n")}\n`);
    return 0;
  }
  if (entries.length === 0) {
    await print(io.stderr, `no ${provider.name} conversations${cwd === undefined ? "" : ` in ${cwd} (--all lists every folder's)`}\n`);
    return 0;
  }
  const paint = painter(io.stdout.isTTY === true && (io.env.NO_COLOR ?? "") === "");
  const lines = entries.map((entry) => `${paint("bold", entry.id)}  ${entry.updatedAt}  ${cwd === undefined ? `${entry.cwd ?? "?"}  ` : ""}${entry.label || paint("dim", "(no prompt)")}`);
  await print(io.stdout, `${lines.join("\n")}\n`);
  return 0;
}
