import { defaultStoreUrl } from "@asm/persistence";
import { usageError } from "../exit-codes.js";

/** Environment variable naming the store every `asm run` writes to (a store URL). */
const STORE_ENV = "ASM_STORE";

/** What the store flags of `asm run` / `asm history` say. */
export interface StoreFlags {
  /** The arguments left for the command's own parser. */
  argv: string[];
  /** The store URL to use, or null for none. */
  url: string | null;
  /** `--session <id>`: the stored session to continue (run) or show (history). */
  sessionId: string | null;
  /** `--run <id>` (history only). */
  runId: string | null;
}

const STORE_HINT = "sqlite:<file>, file:<dir> or postgres://…";

// A word that is a URL scheme and no prompt: `sqlite:…`, `file:…`, `postgres://…`, `mysql://…`.
const LOOKS_LIKE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/;

/** The URL with any password hidden, for messages. */
export function displayStoreUrl(url: string): string {
  return url.replace(/\/\/([^@/:]*):[^@/]*@/, "//$1:***@");
}

/** Checks a store URL's form (the store checks the rest when it opens). */
function checkStoreUrl(url: string, flag: string): string {
  const ok = /^sqlite:.+/.test(url) || /^file:.+/.test(url) || /^postgres(?:ql)?:\/\/.+/.test(url);
  if (!ok) throw usageError(`${flag} must be ${STORE_HINT} (got "${displayStoreUrl(url)}")`, { flag });
  return url;
}

/**
 * Takes `--store [url]`, `--session <id>` and (with `allowRun`, for `asm history`) `--run <id>`
 * out of a command line. The store is the flag's URL; a bare `--store` (the next argument is not
 * a URL) means `ASM_STORE` or the default `sqlite:$XDG_STATE_HOME/asm/asm.db`; without the flag
 * it is `ASM_STORE` when set, else none; `--session` (and `--run`) imply the default. A URL of
 * another form, or an empty id, is a usage error naming the flag.
 */
export function takeStoreFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, allowRun = false): StoreFlags {
  const rest: string[] = [];
  let given: string | null | undefined;
  let sessionId: string | null = null;
  let runId: string | null = null;
  const idFlags: Record<string, (value: string) => void> = { session: (value) => (sessionId = value) };
  if (allowRun) idFlags.run = (value) => (runId = value);
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === "--store") {
      const next = argv[index + 1];
      if (next !== undefined && LOOKS_LIKE_URL.test(next)) {
        given = checkStoreUrl(next, "--store");
        index++;
      } else given = null;
      continue;
    }
    if (arg.startsWith("--store=")) {
      const value = arg.slice("--store=".length).trim();
      given = value === "" ? null : checkStoreUrl(value, "--store");
      continue;
    }
    const id = /^--(session|run)(?:=(.*))?$/s.exec(arg);
    const take = id ? idFlags[id[1]!] : undefined;
    if (id && take) {
      const value = id[2] ?? argv[++index];
      if (value === undefined || value.trim() === "" || (id[2] === undefined && value.startsWith("--"))) {
        throw usageError(`--${id[1]} needs the id of a stored ${id[1]} (asm history lists them)`, { flag: `--${id[1]}` });
      }
      take(value.trim());
      continue;
    }
    rest.push(arg);
  }
  const fromEnv = (env[STORE_ENV] ?? "").trim();
  const fallback = fromEnv === "" ? null : checkStoreUrl(fromEnv, STORE_ENV);
  let url: string | null;
  if (typeof given === "string") url = given;
  else if (given === null || sessionId !== null || runId !== null) url = fallback ?? defaultStoreUrl(env);
  else url = fallback;
  return { argv: rest, url, sessionId, runId };
}
