import { AsmError, backendEvent, stopReasonFields, type ApprovalDecision, type BackendEvent, type BackendInfo, type BackendStartConfig } from "@asm/contract";
import { LaneTurn, type TurnWatchdogs } from "@asm/core-lane";
import { isRecord } from "@asm/provider-utils";

/** What a turn needs from its app-server process. */
export interface AppServerTurnHost {
  /** `turn/interrupt` for this turn. */
  interrupt(turnId: string | null): Promise<void>;
  /** Answers a server request (an approval). */
  respond(id: string | number, result: unknown): void;
  turnSettled(turn: AppServerTurn): void;
  kill(): void;
  info(): BackendInfo;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * One run on a Codex app-server thread: item notifications become ASM events, approval requests
 * become `approval_requested`, `turn/completed` the outcome (`interrupted` → `user_cancelled`).
 */
export class AppServerTurn extends LaneTurn {
  private readonly pending = new Map<string, { id: string | number }>();
  private text = "";
  private turnId: string | null = null;

  constructor(
    private readonly config: BackendStartConfig,
    private readonly threadId: string,
    timeouts: TurnWatchdogs,
    private readonly host: AppServerTurnHost,
  ) {
    super({ provider: "codex", lane: "the codex app-server lane", agent: "codex", timeouts });
    this.push(backendEvent("run_started", { providerSessionId: threadId }, { providerSessionId: threadId }));
  }

  protected waitingForUser(): boolean {
    return this.pending.size > 0;
  }

  /** `turn/interrupt`: the turn completes with status `interrupted`. */
  protected interruptAgent(): Promise<void> {
    return this.host.interrupt(this.turnId);
  }

  protected killAgent(): void {
    this.host.kill();
  }

  protected onSettled(): void {
    for (const [key, pending] of this.pending) {
      this.pending.delete(key);
      this.host.respond(pending.id, { decision: "cancel" });
    }
    this.host.turnSettled(this);
  }

  /** The id `turn/start` returned. */
  started(turnId: string): void {
    this.turnId = turnId;
  }

  notification(method: string, params: unknown): void {
    if (this.isSettled || !isRecord(params)) return;
    if (typeof params["threadId"] === "string" && params["threadId"] !== this.threadId) return;
    if (!this.isOwnTurn(method, params)) return;
    this.armIdle();
    const item = isRecord(params["item"]) ? params["item"] : undefined;
    switch (method) {
      case "item/agentMessage/delta": {
        const delta = str(params["delta"]);
        if (delta !== "") this.push(this.event("assistant_delta", { content: delta }, params));
        return;
      }
      case "item/started":
        if (item?.["type"] === "commandExecution") {
          this.push(this.event("tool_use", { toolName: "command_execution", toolCallId: str(item["id"]), input: { command: item["command"] }, toolKind: "shell" }, params));
        }
        return;
      case "item/completed":
        if (item === undefined) return;
        if (item["type"] === "agentMessage") {
          const text = str(item["text"]);
          this.text += text;
          this.push(this.event("assistant_message", { content: [{ type: "text", text }] }, params));
        } else if (item["type"] === "reasoning") {
          const summary = Array.isArray(item["summary"]) ? item["summary"].map(str).join("\n") : str(item["text"]);
          if (summary !== "") this.push(this.event("thinking", { content: summary }, params));
        } else if (item["type"] === "commandExecution") {
          const failed = item["status"] !== "completed" || (typeof item["exitCode"] === "number" && item["exitCode"] !== 0);
          this.push(this.event("tool_result", { toolCallId: str(item["id"]), toolName: "command_execution", content: item["aggregatedOutput"] ?? null, isError: failed }, params));
        }
        return;
      case "turn/completed":
        this.completed(isRecord(params["turn"]) ? params["turn"] : {});
        return;
      case "error": {
        const error = isRecord(params["error"]) ? params["error"] : {};
        // Codex reports reconnects as errors too; only turn/completed ends the turn.
        this.push(this.event("warning", { message: str(error["message"]) || "codex reported an error", code: "provider_warning" }, params));
        return;
      }
      default:
        this.push(this.event("raw", { stream: "sdk", content: params }, params, { unknownType: method }));
    }
  }

  /**
   * Whether a notification belongs to this turn. An interrupted turn may complete after its run has
   * ended, while the next turn already runs on the same thread: its late notifications are not ours.
   */
  private isOwnTurn(method: string, params: Record<string, unknown>): boolean {
    const turn = params["turn"];
    const given = typeof params["turnId"] === "string" ? params["turnId"] : isRecord(turn) && typeof turn["id"] === "string" ? turn["id"] : undefined;
    if (given === undefined) return true;
    // Before turn/start has answered, a completion can only be an earlier turn's.
    if (this.turnId === null) return method !== "turn/completed";
    return given === this.turnId;
  }

  private completed(turn: Record<string, unknown>): void {
    const status = turn["status"];
    if (status === "interrupted" || this.interruptRequested) {
      this.outcome(backendEvent("error", { message: "the turn was interrupted", code: "user_cancelled", severity: "error" }));
      return;
    }
    if (status === "failed") {
      const error = isRecord(turn["error"]) ? turn["error"] : {};
      const message = str(error["message"]) || "the turn failed";
      this.outcome(backendEvent("error", { message, code: /401|unauthorized/i.test(message) ? "auth_error" : "transport_error", severity: "error" }, { raw: turn }));
      return;
    }
    this.outcome(backendEvent("result", { status: "success", text: this.text, ...stopReasonFields(str(status)), costUsd: null }, { providerSessionId: this.threadId, raw: turn }));
  }

  /** An approval request from the server (`item/commandExecution/requestApproval`, `item/fileChange/requestApproval`). */
  request(id: string | number, method: string, params: unknown): void {
    if (this.isSettled) {
      this.host.respond(id, { decision: "cancel" });
      return;
    }
    const details = isRecord(params) ? params : {};
    const approvalId = `codex-approval-${this.config.runId}-${String(id)}`;
    this.pending.set(approvalId, { id });
    this.clearIdle();
    const subject = method.includes("fileChange") ? "file_change" : "command_execution";
    this.push(this.event("approval_requested", { approvalId, subject, details: { method, ...details } }, params));
  }

  failed(message: string, exit?: { exitCode: number | null; signal: string | null; stderrTail: string }): void {
    if (this.isSettled) return;
    const tail = exit?.stderrTail.trim() ?? "";
    this.outcome(
      backendEvent("error", {
        message: `${message}${tail ? `; stderr: ${tail.slice(-500)}` : ""}`,
        code: this.interruptRequested ? "user_cancelled" : exit ? "transport_exit" : "transport_error",
        severity: this.interruptRequested ? "error" : "fatal",
      }),
    );
  }

  private event(kind: BackendEvent["kind"], payload: Record<string, unknown>, raw: unknown, metadata?: Record<string, unknown>): BackendEvent {
    return backendEvent(kind as "raw", payload as never, { providerSessionId: this.threadId, raw, ...(metadata ? { metadata } : {}) });
  }

  /** `accept` or `decline` for a pending approval request. */
  respondToApproval(approvalId: string, decision: ApprovalDecision): Promise<void> {
    const pending = this.pending.get(approvalId);
    if (pending === undefined) return Promise.reject(new AsmError("not_found", `Unknown approval id: ${approvalId}`, { provider: "codex", details: { approvalId } }));
    this.pending.delete(approvalId);
    this.host.respond(pending.id, { decision: decision === "allow" ? "accept" : "decline" });
    this.armIdle();
    return Promise.resolve();
  }

  info(): BackendInfo {
    return this.host.info();
  }
}
