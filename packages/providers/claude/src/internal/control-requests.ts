import { isRecord, nonEmptyString } from "@asm/provider-utils";
import { claudeControlErrorLine, claudeControlSuccessLine } from "./control-protocol.js";
import { compact, type Json } from "./payload-helpers.js";

/** The `approval_requested` details of a `can_use_tool` request; `claudeApprovalReplyLine` reads them back. */
export function approvalDetails(requestId: string, request: Json): Json {
  return compact({
    requestId,
    toolName: nonEmptyString(request["tool_name"]) ?? "tool",
    toolInput: request["input"] ?? {},
    toolUseId: nonEmptyString(request["tool_use_id"]),
    suggestions: Array.isArray(request["permission_suggestions"]) ? request["permission_suggestions"] : undefined,
    blockedPath: nonEmptyString(request["blocked_path"]),
    description: nonEmptyString(request["description"]),
    displayName: nonEmptyString(request["display_name"]),
    title: nonEmptyString(request["title"]),
    decisionReason: request["decision_reason"],
    agentId: nonEmptyString(request["agent_id"]),
  });
}

function mcpReply(request: Json): Json {
  const message = request["message"];
  const serverName = nonEmptyString(request["server_name"]) ?? "(unnamed)";
  if (isRecord(message) && message["id"] !== undefined && message["id"] !== null) {
    return {
      jsonrpc: "2.0",
      id: message["id"],
      error: { code: -32601, message: `ASM hosts no in-process MCP server named "${serverName}"` },
    };
  }
  // A notification needs no answer, but the CLI waits for a control_response; this is the SDK's.
  return { jsonrpc: "2.0", result: {}, id: 0 };
}

/**
 * The answer to a CLI request that is not an approval, so the CLI never waits on the host: hooks
 * get "no opinion" (ASM registers none), MCP messages a JSON-RPC answer (ASM hosts no in-process
 * server), elicitations a decline, anything else an "unsupported" error.
 */
export function automaticReply(requestId: string, request: Json): string {
  const subtype = nonEmptyString(request["subtype"]);
  switch (subtype) {
    case "hook_callback":
      return claudeControlSuccessLine(requestId, {});
    case "mcp_message":
      return claudeControlSuccessLine(requestId, { mcp_response: mcpReply(request) });
    case "elicitation":
      return claudeControlSuccessLine(requestId, { action: "decline" });
    default:
      return claudeControlErrorLine(requestId, `Unsupported control request subtype: ${subtype ?? "(none)"}`);
  }
}
