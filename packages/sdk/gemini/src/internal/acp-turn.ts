import { AsmError, backendEvent, stopReasonFields, toolKindOf, type ApprovalDecision, type BackendEvent, type BackendInfo, type BackendStartConfig } from "@asm/contract";
import { LaneTurn, type TurnWatchdogs } from "@asm/core-lane";
import { isRecord } from "@asm/provider-utils";

/** What a turn needs from the agent process it runs on. */
export interface AcpTurnHost {
  /** `session/cancel`. */
  cancel(): Promise<void>;
  turnSettled(turn: AcpTurn): void;
  kill(): void;
  info(): BackendInfo;
}

interface PendingPermission {
  options: Array<{ optionId: string; kind: string }>;
  resolve(response: unknown): void;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * One run on an ACP agent session: `session/update` notifications become ASM events, a
 * `session/request_permission` becomes `approval_requested`, and the `session/prompt` answer
 * (its `stopReason`) becomes the outcome. ACP sends text only in chunks, so the whole
 * `assistant_message` is put together at the end.
 */
export class AcpTurn extends LaneTurn {
  private readonly pending = new Map<string, PendingPermission>();
  private readonly tools = new Map<string, string>();
  private textParts: string[] = [];
  private approvalSeq = 0;

  constructor(
    private readonly config: BackendStartConfig,
    private readonly sessionId: string,
    timeouts: TurnWatchdogs,
    private readonly host: AcpTurnHost,
  ) {
    super({ provider: config.provider, lane: "the ACP lane", agent: `the ${config.provider} agent`, timeouts });
    this.push(backendEvent("run_started", { providerSessionId: sessionId }, { providerSessionId: sessionId }));
  }

  protected waitingForUser(): boolean {
    return this.pending.size > 0;
  }

  /** `session/cancel`: the prompt ends with `stopReason: cancelled`. */
  protected interruptAgent(): Promise<void> {
    return this.host.cancel();
  }

  protected killAgent(): void {
    this.host.kill();
  }

  protected onSettled(): void {
    for (const [id, permission] of this.pending) {
      this.pending.delete(id);
      permission.resolve({ outcome: { outcome: "cancelled" } });
    }
    this.host.turnSettled(this);
  }

  // ---- from the agent ---------------------------------------------------------------------

  /** One `session/update` notification's `update`. */
  update(update: unknown): void {
    if (this.isSettled || !isRecord(update)) return;
    this.armIdle();
    const kind = update["sessionUpdate"];
    const content = isRecord(update["content"]) ? update["content"] : undefined;
    switch (kind) {
      case "agent_message_chunk": {
        const chunk = text(content?.["text"]);
        if (chunk === "") return;
        this.textParts.push(chunk);
        this.push(this.event("assistant_delta", { content: chunk }, update));
        return;
      }
      case "agent_thought_chunk": {
        const chunk = text(content?.["text"]);
        if (chunk !== "") this.push(this.event("thinking", { content: chunk }, update));
        return;
      }
      case "tool_call":
      case "tool_call_update":
        this.toolCall(update);
        return;
      case "plan": {
        const entries = Array.isArray(update["entries"]) ? update["entries"].filter(isRecord) : [];
        this.push(this.event("plan", { entries: entries.map((entry) => ({ content: text(entry["content"]), ...(typeof entry["status"] === "string" ? { status: entry["status"] } : {}) })) }, update));
        return;
      }
      default:
        this.push(this.event("raw", { stream: "sdk", content: update }, update, typeof kind === "string" ? { unknownType: kind } : {}));
    }
  }

  private toolCall(update: Record<string, unknown>): void {
    const id = text(update["toolCallId"]);
    if (id === "") return;
    if (!this.tools.has(id)) {
      const name = text(update["title"]) || text(update["kind"]) || "tool";
      this.tools.set(id, name);
      this.push(this.event("tool_use", { toolName: name, toolCallId: id, input: update["rawInput"] ?? {} , toolKind: toolKindOf(name, update["kind"]), ...(typeof update["kind"] === "string" ? { nativeToolKind: update["kind"] } : {}) }, update));
    }
    const status = update["status"];
    if (status === "completed" || status === "failed") {
      this.push(
        this.event(
          "tool_result",
          { toolCallId: id, toolName: this.tools.get(id), content: update["rawOutput"] ?? update["content"] ?? null, isError: status === "failed" },
          update,
        ),
      );
    }
  }

  /** `session/request_permission`: resolves with the ACP outcome once `approve()` answers. */
  requestPermission(params: unknown, signal: AbortSignal): Promise<unknown> {
    const cancelled = { outcome: { outcome: "cancelled" } };
    if (this.isSettled || !isRecord(params)) return Promise.resolve(cancelled);
    const toolCall = isRecord(params["toolCall"]) ? params["toolCall"] : {};
    // Gemini sends no tool_call before asking: the request is the tool's first sight.
    this.toolCall({ ...toolCall, status: undefined });
    const options = (Array.isArray(params["options"]) ? params["options"] : [])
      .filter(isRecord)
      .map((option) => ({ optionId: text(option["optionId"]), kind: text(option["kind"]), name: text(option["name"]) }));
    this.approvalSeq += 1;
    const approvalId = `acp-permission-${this.config.runId}-${this.approvalSeq}`;
    return new Promise((resolve) => {
      this.pending.set(approvalId, { options, resolve });
      this.clearIdle();
      signal.addEventListener(
        "abort",
        () => {
          if (!this.pending.delete(approvalId)) return;
          resolve(cancelled);
          this.push(backendEvent("approval_resolved", { approvalId, decision: "deny", reason: "cancelled" }));
          this.armIdle();
        },
        { once: true },
      );
      const subject = text(toolCall["title"]) || text(toolCall["kind"]) || "tool";
      this.push(this.event("approval_requested", { approvalId, subject, details: { toolCallId: toolCall["toolCallId"], toolCall, options } }, params));
    });
  }

  /** The `session/prompt` answer. */
  finished(response: unknown): void {
    if (this.isSettled) return;
    const stopReason = isRecord(response) ? text(response["stopReason"]) : "";
    const full = this.textParts.join("");
    if (full !== "") this.push(backendEvent("assistant_message", { content: [{ type: "text", text: full }] }, { providerSessionId: this.sessionId }));
    if (stopReason === "cancelled") {
      this.outcome(backendEvent("error", { message: "the turn was cancelled", code: "user_cancelled", severity: "error" }));
      return;
    }
    this.outcome(
      backendEvent("result", { status: "success", text: full, ...stopReasonFields(stopReason), costUsd: null }, { providerSessionId: this.sessionId, raw: response }),
    );
  }

  /** The prompt request failed, or the agent process ended before answering. */
  failed(error: unknown, exit?: { exitCode: number | null; signal: string | null; stderrTail: string }): void {
    if (this.isSettled) return;
    if (this.interruptRequested) {
      this.outcome(backendEvent("error", { message: "the turn was cancelled", code: "user_cancelled", severity: "error" }));
      return;
    }
    const message = error instanceof Error ? error.message : typeof error === "string" ? error : "the agent stopped";
    const tail = exit?.stderrTail.trim() ?? "";
    this.outcome(
      backendEvent("error", {
        message: `${message}${exit ? ` (${exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.exitCode)}`})` : ""}${tail ? `; stderr: ${tail.slice(-500)}` : ""}`,
        code: exit ? "transport_exit" : "transport_error",
        severity: "fatal",
      }),
    );
  }

  // ---- events ---------------------------------------------------------------------------------

  private event(kind: BackendEvent["kind"], payload: Record<string, unknown>, raw: unknown, metadata?: Record<string, unknown>): BackendEvent {
    return backendEvent(kind as "raw", payload as never, { providerSessionId: this.sessionId, raw, ...(metadata ? { metadata } : {}) });
  }

  /** Selects the request's allow or reject option (once before always). */
  respondToApproval(approvalId: string, decision: ApprovalDecision): Promise<void> {
    const permission = this.pending.get(approvalId);
    if (permission === undefined) {
      return Promise.reject(new AsmError("not_found", `Unknown approval id: ${approvalId}`, { provider: this.config.provider, details: { approvalId } }));
    }
    this.pending.delete(approvalId);
    const wanted = decision === "allow" ? ["allow_once", "allow_always"] : ["reject_once", "reject_always"];
    const option = wanted.map((kind) => permission.options.find((candidate) => candidate.kind === kind)).find((found) => found !== undefined);
    permission.resolve(option === undefined ? { outcome: { outcome: "cancelled" } } : { outcome: { outcome: "selected", optionId: option.optionId } });
    this.armIdle();
    return Promise.resolve();
  }

  /** The agent process's details. */
  info(): BackendInfo {
    return this.host.info();
  }
}
