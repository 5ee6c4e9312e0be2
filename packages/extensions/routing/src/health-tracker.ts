/** Where a candidate stands. `degraded`: its cooldown passed, it is eligible again, but its last run failed. */
export type HealthStatus = "healthy" | "unhealthy" | "degraded";

/** One candidate's health, as `healthSnapshot` reports it. */
export interface CandidateHealth {
  status: HealthStatus;
  /** Consecutive failures since the last success. */
  failures: number;
  /** The last failure's code and message, or null. */
  lastError: { code: string; message: string } | null;
  /** Epoch ms until which the candidate is excluded, or null. */
  excludedUntilMs: number | null;
  /** Whether it is excluded right now. */
  excluded: boolean;
}

/** What a failure report may carry. */
export interface FailureReport {
  code: string;
  message: string;
  /** The provider's own reset time (epoch ms): the candidate stays excluded at least until then. */
  resetAtMs?: number;
}

interface Entry {
  failures: number;
  lastError: { code: string; message: string } | null;
  excludedUntilMs: number | null;
}

/**
 * Health of each candidate: a failure excludes it for a cooldown that doubles with each
 * consecutive failure (capped), or until the provider's reported reset time when that is later;
 * once the exclusion passes it is `degraded` (eligible), and a success makes it `healthy` again.
 */
export class HealthTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(
    ids: readonly string[],
    private readonly cooldownMs: number,
    private readonly maxCooldownMs: number,
    private readonly now: () => number,
  ) {
    for (const id of ids) this.entries.set(id, { failures: 0, lastError: null, excludedUntilMs: null });
  }

  private entry(id: string): Entry {
    return this.entries.get(id) as Entry;
  }

  /** A run on `id` succeeded. */
  success(id: string): void {
    const entry = this.entry(id);
    entry.failures = 0;
    entry.lastError = null;
    entry.excludedUntilMs = null;
  }

  /** A run on `id` failed in a way that says the provider is unusable for now. */
  failure(id: string, report: FailureReport): void {
    const entry = this.entry(id);
    entry.failures += 1;
    entry.lastError = { code: report.code, message: report.message };
    const backoff = Math.min(this.maxCooldownMs, this.cooldownMs * 2 ** (entry.failures - 1));
    const until = this.now() + backoff;
    entry.excludedUntilMs = report.resetAtMs !== undefined && report.resetAtMs > until ? report.resetAtMs : until;
  }

  /** Whether `id` may be chosen now. */
  eligible(id: string): boolean {
    const until = this.entry(id).excludedUntilMs;
    return until === null || until <= this.now();
  }

  /** The earliest time an excluded candidate among `ids` becomes eligible again, or null. */
  nextEligibleAtMs(ids: readonly string[]): number | null {
    let earliest: number | null = null;
    for (const id of ids) {
      const until = this.entry(id).excludedUntilMs;
      if (until !== null && (earliest === null || until < earliest)) earliest = until;
    }
    return earliest;
  }

  /** One candidate's health. */
  health(id: string): CandidateHealth {
    const entry = this.entry(id);
    const excluded = !this.eligible(id);
    const status: HealthStatus = entry.failures === 0 ? "healthy" : excluded ? "unhealthy" : "degraded";
    return { status, failures: entry.failures, lastError: entry.lastError, excludedUntilMs: entry.excludedUntilMs, excluded };
  }
}
