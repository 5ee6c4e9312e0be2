import { AsmError, type AsmEvent } from "@asm/contract";
import { summarizeSession, type Asm } from "@asm/core";
import { openStore, type DurableStore } from "@asm/persistence";
import type { RunRequest } from "../args/run-args.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { displayStoreUrl, type StoreFlags } from "../options/store-flags.js";

/** The store of one `asm run`, and the stored session it continues. */
export interface RunStore {
  store: DurableStore;
  url: string;
  /** `--session`: the stored session to continue, and its provider (from its events). */
  session: { id: string; provider: string } | null;
}

/**
 * Opens the store `--store` (or `ASM_STORE`) names, and with `--session` reads that session's
 * provider from its events. No store asked for → null. A session the store does not hold →
 * `AsmError("not_found")`; a store that cannot be opened → `store_unavailable`.
 */
export async function openRunStore(flags: StoreFlags): Promise<RunStore | null> {
  if (flags.url === null) return null;
  const store = await openStore(flags.url);
  if (flags.sessionId === null) return { store, url: flags.url, session: null };
  try {
    const summary = summarizeSession(await store.list(flags.sessionId));
    if (summary === null) {
      throw new AsmError("not_found", `no session ${flags.sessionId} in ${displayStoreUrl(flags.url)} (asm history --store ${displayStoreUrl(flags.url)} lists the stored sessions)`, {
        details: { sessionId: flags.sessionId },
      });
    }
    return { store, url: flags.url, session: { id: flags.sessionId, provider: summary.provider } };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The run's events, each passed on only once the store acknowledged it, so that every line
 * `asm run` prints (JSONL or rendered) is in the store. A store failure ends the stream with its
 * `store_unavailable` error instead of showing an event the store does not have.
 */
export function acknowledgedStream<S extends AsyncIterable<AsmEvent> & { runId: string }>(asm: Asm, stream: S): AsyncIterable<AsmEvent> & { runId: string } {
  return {
    get runId() {
      return stream.runId;
    },
    async *[Symbol.asyncIterator]() {
      for await (const event of stream) {
        await asm.acknowledged(event);
        yield event;
      }
    },
  };
}

/**
 * Checks a parsed command line against the stored session it continues: `--provider`, if given,
 * must be the session's, and `--resume` has no place (the store knows the provider session id).
 */
export function checkStoredSession(runStore: RunStore, request: RunRequest): void {
  const session = runStore.session;
  if (session === null) return;
  if (request.provider !== session.provider) {
    throw usageError(`--provider ${request.provider} cannot continue session ${session.id}, a ${session.provider} session`, { flag: "--provider" });
  }
  if (request.runOptions.continuation !== undefined) {
    throw usageError("--session resumes the provider session its store recorded; --resume cannot be combined with it", { flag: "--resume" });
  }
}

/** Tells where the run's session is stored and how to continue it (on the notices stream). */
export async function printStoredSession(io: CliIo, json: boolean, runStore: RunStore, events: readonly AsmEvent[]): Promise<void> {
  const sessionId = events.at(-1)?.sessionId;
  if (sessionId === undefined) return;
  const url = displayStoreUrl(runStore.url);
  await print(json ? io.stderr : io.stdout, `stored: session ${sessionId} in ${url} (continue: asm run --session ${sessionId} --store ${url} "<prompt>")\n`);
}
