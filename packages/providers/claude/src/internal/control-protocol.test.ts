import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { CLAUDE_DEFAULT_DENY_MESSAGE, claudeApprovalReplyLine, claudeControlProtocol } from "./control-protocol.js";

/** A control_response line as Claude Code reads it. */
interface ControlResponseLine {
  type: string;
  response: { subtype: string; request_id?: string; response: Record<string, unknown> };
}

function controlResponse(line: string): ControlResponseLine {
  return JSON.parse(line) as ControlResponseLine;
}

const details = {
  requestId: "req-1",
  toolName: "Bash",
  toolInput: { command: "touch a" },
  toolUseId: "toolu_1",
};

describe("claudeControlProtocol", () => {
  it("allows with the original input and the tool use id", () => {
    expect(JSON.parse(claudeControlProtocol.approvalReply(details, "allow"))).toEqual({
      type: "control_response",
      response: { subtype: "success", request_id: "req-1", response: { behavior: "allow", updatedInput: { command: "touch a" }, toolUseID: "toolu_1" } },
    });
  });

  it("passes on updated permissions a host put in the details", () => {
    const rule = [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch a" }], behavior: "allow", destination: "session" }];
    const reply = controlResponse(claudeApprovalReplyLine({ ...details, updatedPermissions: rule }, "allow"));
    expect(reply.response.response.updatedPermissions).toEqual(rule);
  });

  it("denies with the reason, or a default message (Claude Code requires one)", () => {
    expect(controlResponse(claudeApprovalReplyLine(details, "deny", "no")).response.response).toEqual({ behavior: "deny", message: "no", toolUseID: "toolu_1" });
    expect(controlResponse(claudeApprovalReplyLine(details, "deny", "  ")).response.response.message).toBe(CLAUDE_DEFAULT_DENY_MESSAGE);
    expect(controlResponse(claudeApprovalReplyLine({ requestId: "r" }, "deny")).response.response).toEqual({ behavior: "deny", message: CLAUDE_DEFAULT_DENY_MESSAGE });
  });

  it("refuses details without a request id", () => {
    expectAsmError(() => claudeApprovalReplyLine({ toolName: "Bash" }, "allow"), { code: "runtime", message: "request id" });
  });

  it("interrupts with a control request and sends follow-ups as user messages, each one line", () => {
    expect(JSON.parse(claudeControlProtocol.interruptLine("int-1") ?? "")).toEqual({
      type: "control_request",
      request_id: "int-1",
      request: { subtype: "interrupt" },
    });
    const followUp = claudeControlProtocol.userMessageLine("a\nb");
    expect(followUp).not.toContain("\n");
    expect((JSON.parse(followUp) as { message: { content: unknown } }).message.content).toEqual([{ type: "text", text: "a\nb" }]);
    expect(claudeControlProtocol.endInputOnOutcome).toBe(true);
  });
});
