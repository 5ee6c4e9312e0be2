import { AsmError } from "@asm/contract";
import type { Session } from "@asm/core";

/** Limits of a lease's conversation table. */
export interface ConversationLimits {
  /** Conversations kept at once; a new one past this evicts the longest idle, or answers 429. */
  max: number;
  /** A conversation unused for this long is ended (its session stopped). */
  idleMs: number;
}

interface Conversation {
  session: Promise<Session>;
  lastUsed: number;
  /** Requests running on it now: a busy conversation is never evicted. */
  busy: number;
}

/**
 * A lease's conversations (the `x-asm-conversation-id` header → the session that continues it),
 * bounded in number and in idle time, so a client that invents ids cannot grow the endpoint's
 * memory or its live CLI processes without end. Ended conversations' sessions are stopped.
 */
export class ConversationTable {
  private readonly entries = new Map<string, Conversation>();

  constructor(
    private readonly limits: ConversationLimits,
    private readonly stop: (session: Session) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many conversations are kept. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The session of a conversation, started with `start` when new; `release` must be called once the
   * request is over. Past the cap with every conversation busy: `at_capacity` (429).
   */
  async acquire(id: string, start: () => Promise<Session>): Promise<{ session: Session; release: () => void }> {
    this.sweep();
    let entry = this.entries.get(id);
    if (entry === undefined) {
      if (this.entries.size >= this.limits.max && !this.evictOldestIdle()) {
        throw new AsmError("at_capacity", `this lease keeps ${this.limits.max} conversations and all are busy; retry later`, { details: { key: "conversations" } });
      }
      const session = start();
      entry = { session, lastUsed: this.now(), busy: 0 };
      this.entries.set(id, entry);
      const created = entry;
      session.catch(() => {
        if (this.entries.get(id) === created) this.entries.delete(id);
      });
    }
    const current = entry;
    current.busy += 1;
    current.lastUsed = this.now();
    let session: Session;
    try {
      session = await current.session;
    } catch (error) {
      current.busy -= 1;
      throw error;
    }
    let released = false;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        current.busy -= 1;
        current.lastUsed = this.now();
      },
    };
  }

  /** Ends every conversation idle for longer than the limit. */
  sweep(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const [id, entry] of this.entries) {
      if (entry.busy === 0 && entry.lastUsed <= cutoff) this.end(id, entry);
    }
  }

  /** Ends every conversation (the lease is released); resolves once their sessions are stopped. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    const sessions = await Promise.allSettled(all.map((entry) => entry.session));
    await Promise.all(sessions.flatMap((settled) => (settled.status === "fulfilled" ? [this.stop(settled.value).catch(() => undefined)] : [])));
  }

  private evictOldestIdle(): boolean {
    let oldest: [string, Conversation] | undefined;
    for (const pair of this.entries) {
      if (pair[1].busy === 0 && (oldest === undefined || pair[1].lastUsed < oldest[1].lastUsed)) oldest = pair;
    }
    if (oldest === undefined) return false;
    this.end(oldest[0], oldest[1]);
    return true;
  }

  private end(id: string, entry: Conversation): void {
    this.entries.delete(id);
    entry.session.then((session) => this.stop(session)).catch(() => undefined);
  }
}
