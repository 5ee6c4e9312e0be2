import {
  AsmError,
  backendEvent,
  type ApprovalDecision,
  type BackendEvent,
  type BackendInfo,
  type BackendStartConfig,
  type ProfileParser,
} from "@asm/contract";
import { claudeProfile, type ClaudeProfileOptions } from "@asm/claude";
import { LaneTurn, type LaneRunOptions } from "@asm/core-lane";
import { createUnknownTypeWarnings, type UnknownTypeWarnings } from "@asm/provider-utils";
import type { SdkCanUseToolContext, SdkPermissionResult } from "./sdk-shapes.js";

/** What a turn needs from the live query it runs on. */
export interface TurnHost {
  /** Graceful interrupt of the current turn (the SDK's `interrupt()`). */
  interrupt(): Promise<void>;
  /** The turn ended (its outcome is out): the host may take the next one. */
  turnSettled(turn: TurnSession, cleanly: boolean): void;
  /** The agent is stuck: stop its process. */
  kill(): void;
  info(): Omit<BackendInfo, "capabilities" | "features"> & Partial<Pick<BackendInfo, "capabilities" | "features">>;
}

interface PendingApproval {
  resolve(result: SdkPermissionResult): void;
  toolInput: Record<string, unknown>;
  toolUseId: string | undefined;
  suggestions: unknown[] | undefined;
}

const DEFAULT_DENY_MESSAGE = "The user denied this tool use.";

/**
 * One run (one turn) on a live Claude Agent SDK query. The SDK's messages are the CLI's own
 * stream-json objects, so they go through the Claude provider's parser unchanged: both lanes emit
 * exactly the same events for the same conversation. The turn settles on its first outcome; a
 * stuck agent (watchdogs) or a dead process still gets exactly one.
 */
export class TurnSession extends LaneTurn {
  private readonly parser: ProfileParser;
  private readonly drift: UnknownTypeWarnings;
  private readonly pending = new Map<string, PendingApproval>();
  private approvalSeq = 0;

  constructor(
    private readonly config: BackendStartConfig,
    runOptions: LaneRunOptions,
    private readonly host: TurnHost,
  ) {
    super({ provider: "claude", lane: "the claude sdk lane", agent: "claude", timeouts: runOptions });
    this.parser = claudeProfile.createParser({
      provider: config.provider,
      input: {
        prompt: config.prompt,
        options: config.providerOptions as ClaudeProfileOptions,
        permissionMode: config.permissionMode,
        nativePermissionMode: config.nativePermissionMode,
        continuation: config.continuation,
        maxArgvPromptBytes: Number.MAX_SAFE_INTEGER,
      },
      // The SDK answers the CLI's control requests itself; nothing is written from here.
      reply: () => undefined,
    });
    this.drift = createUnknownTypeWarnings(claudeProfile.id);
  }

  protected waitingForUser(): boolean {
    return this.pending.size > 0;
  }

  /** The SDK's graceful `interrupt()`: the turn ends, the process stays for the next one. */
  protected interruptAgent(): Promise<void> {
    return this.host.interrupt();
  }

  protected killAgent(): void {
    this.host.kill();
  }

  protected onSettled(cleanly: boolean): void {
    // Approvals nobody can answer any more: the agent gets a denial and the turn winds down.
    for (const [id, approval] of this.pending) {
      this.pending.delete(id);
      approval.resolve({ behavior: "deny", message: "the run has ended" });
    }
    this.host.turnSettled(this, cleanly);
  }

  // ---- from the live query ----------------------------------------------------------------

  /** One SDK message (a stream-json object). */
  message(message: unknown): void {
    if (this.isSettled) return;
    this.armIdle();
    // A parser that takes values gets the SDK's object as it is: no serialization to parse again.
    const { parser } = this;
    if (parser.value !== undefined) {
      this.pushAll(this.parse(() => parser.value?.(message) ?? []));
      return;
    }
    let line: string;
    try {
      line = JSON.stringify(message);
    } catch (error) {
      this.pushAll([backendEvent("error", { message: `unserializable SDK message: ${String(error)}`, code: "parse_error", severity: "warning" })]);
      return;
    }
    this.pushAll(this.parse(() => this.parser.line(line), line));
  }

  /** The SDK's `canUseTool`: reported as `approval_requested`, answered by `respondToApproval`. */
  requestApproval(toolName: string, input: Record<string, unknown>, context: SdkCanUseToolContext): Promise<SdkPermissionResult> {
    if (this.isSettled) return Promise.resolve({ behavior: "deny", message: "the run has ended" });
    this.approvalSeq += 1;
    const requestId = `sdk-approval-${this.config.runId}-${this.approvalSeq}`;
    // The same control request the core lane reads from the CLI, so the details are identical.
    const request = {
      type: "control_request",
      request_id: requestId,
      request: {
        subtype: "can_use_tool",
        tool_name: toolName,
        input,
        ...(context.toolUseID === undefined ? {} : { tool_use_id: context.toolUseID }),
        ...(context.suggestions === undefined ? {} : { permission_suggestions: context.suggestions }),
        ...(context.blockedPath === undefined ? {} : { blocked_path: context.blockedPath }),
        ...(context.decisionReason === undefined ? {} : { decision_reason: context.decisionReason }),
        ...(context.title === undefined ? {} : { title: context.title }),
        ...(context.displayName === undefined ? {} : { display_name: context.displayName }),
        ...(context.description === undefined ? {} : { description: context.description }),
        ...(context.agentID === undefined ? {} : { agent_id: context.agentID }),
      },
    };
    return new Promise<SdkPermissionResult>((resolve) => {
      this.pending.set(requestId, { resolve, toolInput: input, toolUseId: context.toolUseID, suggestions: context.suggestions });
      this.clearIdle();
      context.signal.addEventListener(
        "abort",
        () => {
          if (!this.pending.delete(requestId)) return;
          resolve({ behavior: "deny", message: "cancelled" });
          this.pushAll([backendEvent("approval_resolved", { approvalId: requestId, decision: "deny", reason: "cancelled" })]);
          this.armIdle();
        },
        { once: true },
      );
      this.pushAll(this.parse(() => this.parser.line(JSON.stringify(request))));
    });
  }

  /** The agent process ended (or the SDK's stream failed) before this turn's outcome. */
  processEnded(exit: { exitCode: number | null; signal: string | null; stderrTail: string }, failure?: unknown): void {
    if (this.isSettled) return;
    if (!this.interruptRequested) {
      this.pushAll(this.parse(() => this.parser.exit({ ...exit, outcomeSeen: false })));
    }
    if (this.isSettled) return;
    const why = failure instanceof Error ? failure.message : typeof failure === "string" ? failure : "";
    if (this.interruptRequested) {
      this.outcome(backendEvent("error", { message: "the turn was interrupted", code: "user_cancelled", severity: "error" }), true);
      return;
    }
    const status = exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.exitCode)}`;
    const tail = exit.stderrTail.trim();
    this.outcome(
      backendEvent("error", {
        message: `claude ended without a result (${status})${why ? `: ${why}` : ""}${tail ? `; stderr: ${tail.slice(-500)}` : ""}`,
        code: "transport_exit",
        severity: "fatal",
        ...(exit.exitCode === null ? {} : { exitCode: exit.exitCode }),
        details: { exitCode: exit.exitCode, signal: exit.signal },
      }),
      false,
    );
  }

  // ---- events -------------------------------------------------------------------------------

  private parse(parse: () => BackendEvent[], line?: string): BackendEvent[] {
    try {
      return parse();
    } catch (error) {
      return [
        backendEvent("error", {
          message: `the claude parser failed: ${error instanceof Error ? error.message : String(error)}`,
          code: "parse_error",
          severity: "warning",
          details: line === undefined ? {} : { line },
        }),
      ];
    }
  }

  private pushAll(events: readonly BackendEvent[]): void {
    for (const event of events) {
      if (this.isSettled) return;
      this.push(event);
      const warning = this.drift.after(event);
      if (warning !== undefined) this.push(warning);
    }
  }

  // ---- BackendSession ------------------------------------------------------------------------

  /** Answers a pending `canUseTool` call. */
  respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    const approval = this.pending.get(approvalId);
    if (approval === undefined) {
      return Promise.reject(new AsmError("not_found", `Unknown approval id: ${approvalId}`, { provider: "claude", details: { approvalId } }));
    }
    this.pending.delete(approvalId);
    const toolUseID = approval.toolUseId === undefined ? {} : { toolUseID: approval.toolUseId };
    approval.resolve(
      decision === "allow"
        ? { behavior: "allow", updatedInput: approval.toolInput, ...toolUseID }
        : { behavior: "deny", message: reason !== undefined && reason.trim() !== "" ? reason : DEFAULT_DENY_MESSAGE, ...toolUseID },
    );
    this.armIdle();
    return Promise.resolve();
  }

  /** Lane `sdk`, backend `sdk:claude`, the live process's details. */
  info(): BackendInfo {
    const info = this.host.info();
    return { capabilities: [], ...info };
  }
}
