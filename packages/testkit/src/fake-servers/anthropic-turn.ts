import type { AnthropicMessagesBody, AnthropicRequestMessage, AnthropicToolResult, AnthropicTurn } from "./anthropic-types.js";
import type { RecordedRequest } from "./http-server.js";
import { isRecord } from "@asm/provider-utils";

/** Reads the parts of a `/v1/messages` request responders decide on. */
export function toAnthropicTurn(request: RecordedRequest, number: number): AnthropicTurn {
  const body = isRecord(request.body) ? (request.body as AnthropicMessagesBody) : {};
  const messages = Array.isArray(body.messages) ? body.messages : [];
  // Claude Code may put a role-"system" message after the user's, so search backwards by role.
  const lastUserMessage = [...messages].reverse().find((message) => isRecord(message) && message.role === "user");
  return {
    request,
    body,
    number,
    stream: body.stream === true,
    lastUserMessage,
    lastUserText: lastUserMessage === undefined ? "" : textOf(lastUserMessage.content),
    toolResults: lastUserMessage === undefined ? [] : toolResultsOf(lastUserMessage),
  };
}

/** The `tool_result` blocks of a message. */
function toolResultsOf(message: AnthropicRequestMessage): AnthropicToolResult[] {
  if (!Array.isArray(message.content)) return [];
  return message.content
    .filter((block) => block.type === "tool_result")
    .map((block) => ({
      toolUseId: typeof block.tool_use_id === "string" ? block.tool_use_id : "",
      text: textOf(block.content),
      isError: block.is_error === true,
    }));
}

/** The text of message content: a string, or its text blocks joined with newlines. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((block): block is { type: "text"; text: string } => isRecord(block) && block.type === "text" && typeof block.text === "string")
    .map((block) => block.text)
    .join("\n");
}
