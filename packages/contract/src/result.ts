import type { AsmError } from "./asm-error.js";
import type { AsmEvent } from "./event.js";
import type { LaneMetadata } from "./lane.js";
import type { Usage } from "./payloads.js";
import type { StopReason } from "./stop-reasons.js";

/** How a run ended. */
export type RunStatus = "completed" | "failed" | "interrupted";

/** The projection of a finished run. */
export interface Result {
  runId: string;
  sessionId: string;
  provider: string;
  status: RunStatus;
  /** Assistant text: the provider's final result text, else the streamed/message text. */
  text: string;
  /** Message-like events in order (assistant/user messages, thinking, tool calls and results). */
  messages: AsmEvent[];
  /** Token counts. */
  usage: Usage;
  /** Cost in USD; `null` when unknown (never a made-up 0). */
  costUsd: number | null;
  /** Why the run failed, or `null`. */
  error: AsmError | null;
  /** Wall time from the first to the last event. */
  durationMs: number;
  /** Why the turn ended, from the documented set (`end_turn`, `max_tokens`, …); `null` when unknown. */
  stopReason: StopReason | null;
  /** The provider's own session/thread id (use it to resume). */
  providerSessionId: string | null;
  /** JSON-schema structured output, when requested and produced. */
  structuredOutput: unknown;
  /** Number of agent turns, when the provider reports it. */
  numTurns: number | null;
  /** Run metadata, including every lane field (typed; absent only for events replayed from elsewhere). */
  metadata: Partial<LaneMetadata> & Record<string, unknown>;
}
