import { AsmError, type ApprovalDecision, type ControlProtocol } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";

/** The request id of the `initialize` request ASM writes first on stdin. */
export const CLAUDE_INITIALIZE_REQUEST_ID = "asm_initialize";

/** The message Claude Code's model sees when a denial comes without a reason. */
export const CLAUDE_DEFAULT_DENY_MESSAGE = "The user denied this tool use.";

function line(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * The `initialize` control request. Optional for Claude Code, but it makes the CLI report its
 * commands, models and account (answered by a `control_response` with the same id).
 */
export function claudeInitializeLine(requestId: string = CLAUDE_INITIALIZE_REQUEST_ID): string {
  return line({ type: "control_request", request_id: requestId, request: { subtype: "initialize" } });
}

/** A user message line, exactly as the Claude Agent SDK writes a string prompt. */
export function claudeUserMessageLine(text: string): string {
  return line({
    type: "user",
    session_id: "",
    message: { role: "user", content: [{ type: "text", text }] },
    parent_tool_use_id: null,
  });
}

/** An `interrupt` control request: stops the current turn, keeps the process. */
function claudeInterruptLine(requestId: string): string {
  return line({ type: "control_request", request_id: requestId, request: { subtype: "interrupt" } });
}

/** A successful `control_response` to a request the CLI sent. */
export function claudeControlSuccessLine(requestId: string, response: Record<string, unknown>): string {
  return line({ type: "control_response", response: { subtype: "success", request_id: requestId, response } });
}

/** An error `control_response` to a request the CLI sent. */
export function claudeControlErrorLine(requestId: string, error: string): string {
  return line({ type: "control_response", response: { subtype: "error", request_id: requestId, error } });
}

/**
 * The answer to a `can_use_tool` request, given the `approval_requested` details the parser
 * produced (`requestId`, `toolInput`, `toolUseId`, …).
 *
 * - allow: `updatedInput` is `details.updatedInput` when a host put one there, else the original
 *   input; `details.updatedPermissions` (Claude Code permission updates) is passed on when present.
 * - deny: the model receives `reason` (or a default text) as the tool's error result and the turn
 *   goes on; the run is not interrupted.
 *
 * Throws `AsmError("runtime")` when the details carry no request id (they did not come from the parser).
 */
export function claudeApprovalReplyLine(
  details: Record<string, unknown>,
  decision: ApprovalDecision,
  reason?: string,
): string {
  const requestId = details["requestId"];
  if (typeof requestId !== "string" || requestId === "") {
    throw new AsmError("runtime", "approval details carry no Claude control request id", { provider: "claude" });
  }
  const toolUseId = typeof details["toolUseId"] === "string" ? details["toolUseId"] : undefined;
  if (decision === "allow") {
    const input = isRecord(details["updatedInput"]) ? details["updatedInput"] : details["toolInput"];
    return claudeControlSuccessLine(requestId, {
      behavior: "allow",
      ...(isRecord(input) ? { updatedInput: input } : {}),
      ...(Array.isArray(details["updatedPermissions"]) ? { updatedPermissions: details["updatedPermissions"] } : {}),
      ...(toolUseId === undefined ? {} : { toolUseID: toolUseId }),
    });
  }
  const message = reason !== undefined && reason.trim() !== "" ? reason : CLAUDE_DEFAULT_DENY_MESSAGE;
  return claudeControlSuccessLine(requestId, {
    behavior: "deny",
    message,
    ...(toolUseId === undefined ? {} : { toolUseID: toolUseId }),
  });
}

/**
 * Claude Code's stdio control protocol as the kernel uses it: approval answers, interrupts,
 * follow-up messages. Stdin is closed once the run's outcome arrives, so the CLI exits by itself.
 */
export const claudeControlProtocol: ControlProtocol = {
  approvalReply: claudeApprovalReplyLine,
  interruptLine: claudeInterruptLine,
  userMessageLine: claudeUserMessageLine,
  endInputOnOutcome: true,
};
