import {
  AsmError,
  isAsmErrorCode,
  type StopReason,
  isTerminalError,
  type AsmEvent,
  type Result,
  type RunStatus,
  type Usage,
} from "@asm/contract";

/** The state a run's events reduce to. */
export interface RunState {
  runId: string | null;
  sessionId: string | null;
  provider: string | null;
  status: "pending" | "running" | RunStatus;
  /** Last sequence seen; sequences are forced monotonic. */
  sequence: number;
  deltas: string[];
  messageText: string[];
  resultText: string | null;
  messages: AsmEvent[];
  usage: Usage;
  /** Per-run cost; null until some event reports one. */
  costUsd: number | null;
  error: AsmError | null;
  stopReason: StopReason | null;
  providerSessionId: string | null;
  structuredOutput: unknown;
  numTurns: number | null;
  pendingApprovals: Set<string>;
  startedAt: string | null;
  finishedAt: string | null;
  metadata: Record<string, unknown>;
  /** The last event metadata object merged (events of a run usually share one). */
  lastMetadata: Record<string, unknown> | null;
  /** The provider session id last reported to the session's checkpoint. */
  capturedSessionId: string | null;
}

/** A fresh run state. */
export function initialRunState(): RunState {
  return {
    runId: null,
    sessionId: null,
    provider: null,
    status: "pending",
    sequence: -1,
    deltas: [],
    messageText: [],
    resultText: null,
    messages: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    costUsd: null,
    error: null,
    stopReason: null,
    providerSessionId: null,
    structuredOutput: undefined,
    numTurns: null,
    pendingApprovals: new Set(),
    startedAt: null,
    finishedAt: null,
    metadata: {},
    lastMetadata: null,
    capturedSessionId: null,
  };
}

const MESSAGE_KINDS = new Set(["assistant_message", "user_message", "thinking", "tool_use", "tool_result"]);

/** True once the run has a final status. */
export function isFinal(state: RunState): boolean {
  return state.status === "completed" || state.status === "failed" || state.status === "interrupted";
}

function errorFrom(event: Extract<AsmEvent, { kind: "error" }>): AsmError {
  const { payload } = event;
  const code = isAsmErrorCode(payload.code) ? payload.code : "unknown";
  // The domain follows the code (the table), whatever the payload says.
  return new AsmError(code, payload.message, {
    ...(payload.retryable === undefined ? {} : { retryable: payload.retryable }),
    provider: event.provider,
    ...(payload.exitCode === undefined ? {} : { exitCode: payload.exitCode }),
    details: { ...(payload.details ?? {}), runId: event.runId, ...(payload.stderrTail ? { stderrTail: payload.stderrTail } : {}) },
  });
}

/**
 * Applies one event to the run state, in place, and returns it. The reducer is the single place
 * that decides a run's status, text, usage and error; `finalResult` replays it over stored events.
 */
export function reduceEvent(state: RunState, event: AsmEvent): RunState {
  state.sequence = Math.max(state.sequence + 1, event.sequence);
  state.runId ??= event.runId;
  state.sessionId ??= event.sessionId;
  state.provider ??= event.provider;
  state.startedAt ??= event.timestamp;
  if (event.metadata !== state.lastMetadata) {
    state.metadata = { ...state.metadata, ...event.metadata };
    state.lastMetadata = event.metadata;
  }
  if (event.providerSessionId) state.providerSessionId = event.providerSessionId;
  if (MESSAGE_KINDS.has(event.kind)) state.messages.push(event);

  switch (event.kind) {
    case "run_started":
      if (state.status === "pending") state.status = "running";
      if (event.payload.providerSessionId) state.providerSessionId = event.payload.providerSessionId;
      break;
    case "session_updated":
      state.providerSessionId = event.payload.providerSessionId;
      break;
    case "assistant_delta":
      state.deltas.push(event.payload.content);
      break;
    case "assistant_message":
      for (const block of event.payload.content) {
        if (block.type === "text" && typeof block.text === "string") state.messageText.push(block.text);
      }
      break;
    case "approval_requested":
      state.pendingApprovals.add(event.payload.approvalId);
      break;
    case "approval_resolved":
      state.pendingApprovals.delete(event.payload.approvalId);
      break;
    case "cost_update": {
      const p = event.payload;
      if (p.mode === "cumulative") {
        state.usage = {
          inputTokens: p.inputTokens,
          outputTokens: p.outputTokens,
          cacheReadInputTokens: p.cacheReadInputTokens ?? 0,
          cacheCreationInputTokens: p.cacheCreationInputTokens ?? 0,
        };
        if (p.costUsd !== null) state.costUsd = p.costUsd;
      } else {
        state.usage = {
          inputTokens: state.usage.inputTokens + p.inputTokens,
          outputTokens: state.usage.outputTokens + p.outputTokens,
          cacheReadInputTokens: state.usage.cacheReadInputTokens + (p.cacheReadInputTokens ?? 0),
          cacheCreationInputTokens: state.usage.cacheCreationInputTokens + (p.cacheCreationInputTokens ?? 0),
        };
        if (p.costUsd !== null) state.costUsd = (state.costUsd ?? 0) + p.costUsd;
      }
      break;
    }
    case "result": {
      const p = event.payload;
      if (p.text !== undefined) state.resultText = p.text;
      if (p.stopReason !== undefined) state.stopReason = p.stopReason;
      if (p.numTurns !== undefined) state.numTurns = p.numTurns;
      if (p.structuredOutput !== undefined) state.structuredOutput = p.structuredOutput;
      // A result's usage/cost only fills in what no cost_update reported.
      if (p.usage && state.usage.inputTokens === 0 && state.usage.outputTokens === 0) {
        state.usage = { ...p.usage, cacheReadInputTokens: p.usage.cacheReadInputTokens ?? 0, cacheCreationInputTokens: p.usage.cacheCreationInputTokens ?? 0 };
      }
      if (p.costUsd !== undefined && p.costUsd !== null && state.costUsd === null) state.costUsd = p.costUsd;
      if (!isFinal(state)) state.status = "completed";
      state.finishedAt = event.timestamp;
      break;
    }
    case "error":
      if (isTerminalError(event)) {
        state.error ??= errorFrom(event);
        if (!isFinal(state)) state.status = event.payload.code === "user_cancelled" ? "interrupted" : "failed";
        state.finishedAt = event.timestamp;
      }
      break;
    case "run_completed":
      if (!isFinal(state)) state.status = event.payload.status;
      if (event.payload.status !== "completed" && !state.error && event.payload.error) {
        const code = isAsmErrorCode(event.payload.error.code) ? event.payload.error.code : "unknown";
        state.error = new AsmError(code, event.payload.error.message, { provider: event.provider });
      }
      state.finishedAt = event.timestamp;
      break;
    default:
      break;
  }
  return state;
}

/** The assistant text of a run: the provider's result text, else message text, else deltas. */
export function runText(state: RunState): string {
  if (state.resultText !== null && state.resultText !== "") return state.resultText;
  if (state.messageText.length > 0) return state.messageText.join("");
  return state.deltas.join("");
}

/** Projects a run state onto a `Result`. */
export function toResult(state: RunState): Result {
  const started = state.startedAt ? Date.parse(state.startedAt) : 0;
  const finished = state.finishedAt ? Date.parse(state.finishedAt) : started;
  const status: RunStatus = isFinal(state) ? (state.status as RunStatus) : state.error ? "failed" : "completed";
  return {
    runId: state.runId ?? "",
    sessionId: state.sessionId ?? "",
    provider: state.provider ?? "",
    status,
    text: runText(state),
    messages: [...state.messages],
    usage: { ...state.usage },
    costUsd: state.costUsd,
    error: state.error,
    durationMs: Math.max(0, finished - started),
    stopReason: state.stopReason,
    providerSessionId: state.providerSessionId,
    structuredOutput: state.structuredOutput,
    numTurns: state.numTurns,
    metadata: { ...state.metadata },
  };
}
