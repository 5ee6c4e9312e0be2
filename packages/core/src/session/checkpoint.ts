import type { CostTotals } from "../cost/session-cost.js";

/** The latest resumable point of a session, captured whenever an event carries a provider session id. */
export interface Checkpoint {
  sessionId: string;
  provider: string;
  capturedAt: string;
  runId: string;
  providerSessionId: string;
  /** Session cost totals at capture time. */
  cost: CostTotals;
  metadata: Record<string, unknown>;
}
