import type {
  AnthropicErrorReply,
  AnthropicMessageReply,
  AnthropicReply,
  AnthropicReplyBlock,
  AnthropicResponder,
  AnthropicToolResult,
} from "./anthropic-types.js";

type MessageOptions = Omit<AnthropicMessageReply, "kind" | "content">;

/**
 * Builders of scripted Anthropic replies and responders, for `startFakeAnthropic().script(...)`.
 *
 * @example
 * ```ts
 * server.script(anthropicReplies.text("OK"));
 * server.respondWith(anthropicReplies.toolThenText("Bash", { command: "echo hi" }, "The command printed: hi"));
 * ```
 */
export const anthropicReplies = {
  /** A text answer. */
  text(text: string, options: MessageOptions = {}): AnthropicMessageReply {
    return { kind: "message", content: [{ type: "text", text }], ...options };
  },

  /** Any sequence of content blocks. */
  message(content: AnthropicReplyBlock[], options: MessageOptions = {}): AnthropicMessageReply {
    return { kind: "message", content, ...options };
  },

  /** Thinking followed by a text answer. */
  thinking(thinking: string, text: string, options: MessageOptions = {}): AnthropicMessageReply {
    return {
      kind: "message",
      content: [
        { type: "thinking", thinking },
        { type: "text", text },
      ],
      ...options,
    };
  },

  /** A tool call (optionally after a short text), `stop_reason: tool_use`. */
  toolUse(
    name: string,
    input: Record<string, unknown>,
    options: MessageOptions & { preface?: string; id?: string } = {},
  ): AnthropicMessageReply {
    const { preface, id, ...rest } = options;
    const content: AnthropicReplyBlock[] = [];
    if (preface !== undefined) content.push({ type: "text", text: preface });
    content.push({ type: "tool_use", name, input, ...(id === undefined ? {} : { id }) });
    return { kind: "message", content, ...rest };
  },

  /** An HTTP error with an Anthropic error body (`type` derived from the status unless given). */
  error(status: number, options: Omit<AnthropicErrorReply, "kind" | "status"> = {}): AnthropicErrorReply {
    return { kind: "error", status, ...options };
  },

  /** Never answer at all. */
  hang(): AnthropicReply {
    return { kind: "hang" };
  },

  /** Close the connection before any response. */
  drop(delayMs?: number): AnthropicReply {
    return delayMs === undefined ? { kind: "drop" } : { kind: "drop", delayMs };
  },

  /** Start streaming `text`, then cut the connection after its first delta. */
  dropMidStream(text = "Partial answer", options: MessageOptions = {}): AnthropicMessageReply {
    return { kind: "message", content: [{ type: "text", text }], deltaSize: 8, ...options, cut: { afterEvents: 4, mode: "drop" } };
  },

  /** Start streaming `text`, then stall after its first delta with the connection open. */
  stallMidStream(text = "Thinking slowly", options: MessageOptions = {}): AnthropicMessageReply {
    return { kind: "message", content: [{ type: "text", text }], ...options, cut: { afterEvents: 4, mode: "hang" } };
  },

  /**
   * A stateless responder for a one-tool turn: asks for the tool call, and answers `followUp` once
   * the last user message carries a `tool_result` (so it also works across retries and resumes).
   */
  toolThenText(
    name: string,
    input: Record<string, unknown>,
    followUp: string | ((results: AnthropicToolResult[]) => string),
    options: { preface?: string } = {},
  ): AnthropicResponder {
    return (turn) => {
      if (turn.toolResults.length > 0) {
        return anthropicReplies.text(typeof followUp === "string" ? followUp : followUp(turn.toolResults));
      }
      return anthropicReplies.toolUse(name, input, options.preface === undefined ? {} : { preface: options.preface });
    };
  },
} as const;

/**
 * The reply used when nothing is scripted: after a tool result, `Tool result (is_error=…): <text>`;
 * otherwise `OK`.
 */
export const defaultAnthropicResponder: AnthropicResponder = (turn) => {
  const result = turn.toolResults[0];
  if (result !== undefined) return anthropicReplies.text(`Tool result (is_error=${String(result.isError)}): ${result.text}`);
  return anthropicReplies.text("OK");
};
