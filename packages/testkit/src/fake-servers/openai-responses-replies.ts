import type {
  ResponsesErrorReply,
  ResponsesMessageReply,
  ResponsesOutputBlock,
  ResponsesReply,
  ResponsesResponder,
  ResponsesToolOutput,
} from "./openai-responses-types.js";

type MessageOptions = Omit<ResponsesMessageReply, "kind" | "output">;
type CallOptions = MessageOptions & { preface?: string; callId?: string };

/**
 * Builders of scripted OpenAI Responses replies and responders, for
 * `startFakeOpenAIResponses().script(...)`.
 *
 * @example
 * ```ts
 * server.script(openAIResponsesReplies.text("OK"));
 * server.respondWith(openAIResponsesReplies.shellThenText("echo hi", "The command printed: hi"));
 * ```
 */
export const openAIResponsesReplies = {
  /** A text answer. */
  text(text: string, options: MessageOptions = {}): ResponsesMessageReply {
    return { kind: "message", output: [{ type: "text", text }], ...options };
  },

  /** A reasoning summary followed by a text answer. */
  reasoning(summary: string, text: string, options: MessageOptions = {}): ResponsesMessageReply {
    return { kind: "message", output: [{ type: "reasoning", summary }, { type: "text", text }], ...options };
  },

  /** Any sequence of output items. */
  message(output: ResponsesOutputBlock[], options: MessageOptions = {}): ResponsesMessageReply {
    return { kind: "message", output, ...options };
  },

  /** A function call (optionally after a short text). */
  functionCall(name: string, args: Record<string, unknown> | string, options: CallOptions = {}): ResponsesMessageReply {
    const { preface, callId, ...rest } = options;
    const output: ResponsesOutputBlock[] = [];
    if (preface !== undefined) output.push({ type: "text", text: preface });
    output.push({ type: "function_call", name, arguments: args, ...(callId === undefined ? {} : { callId }) });
    return { kind: "message", output, ...rest };
  },

  /** A call of Codex's shell tool: `exec_command` with `{ cmd: command }`. */
  shell(command: string, options: CallOptions = {}): ResponsesMessageReply {
    return openAIResponsesReplies.functionCall("exec_command", { cmd: command }, options);
  },

  /** An HTTP error with an OpenAI error body (`type` and `code` derived from the status unless given). */
  error(status: number, options: Omit<ResponsesErrorReply, "kind" | "status"> = {}): ResponsesErrorReply {
    return { kind: "error", status, ...options };
  },

  /** A stream that starts and then reports `response.failed`. */
  failed(message: string, code?: string): ResponsesReply {
    return code === undefined ? { kind: "failed", message } : { kind: "failed", message, code };
  },

  /** Never answer at all. */
  hang(): ResponsesReply {
    return { kind: "hang" };
  },

  /** Close the connection before any response. */
  drop(delayMs?: number): ResponsesReply {
    return delayMs === undefined ? { kind: "drop" } : { kind: "drop", delayMs };
  },

  /** Start streaming `text`, then cut the connection after its first delta. */
  dropMidStream(text = "Partial answer", options: MessageOptions = {}): ResponsesMessageReply {
    return { kind: "message", output: [{ type: "text", text }], deltaSize: 8, ...options, cut: { afterEvents: 5, mode: "drop" } };
  },

  /** Start streaming `text`, then stall after its first delta with the connection open. */
  stallMidStream(text = "Thinking slowly", options: MessageOptions = {}): ResponsesMessageReply {
    return { kind: "message", output: [{ type: "text", text }], deltaSize: 8, ...options, cut: { afterEvents: 5, mode: "hang" } };
  },

  /**
   * A stateless responder for a one-tool turn: asks for the shell command, and answers `followUp`
   * once the request's last input item is the tool's output (so it also works across retries).
   */
  shellThenText(command: string, followUp: string | ((outputs: ResponsesToolOutput[]) => string), options: CallOptions = {}): ResponsesResponder {
    return (turn) => {
      if (turn.continuingAfterTool) {
        return openAIResponsesReplies.text(typeof followUp === "string" ? followUp : followUp(turn.toolOutputs));
      }
      return openAIResponsesReplies.shell(command, options);
    };
  },
} as const;

/** The reply used when nothing is scripted: after a tool output, `Tool output: <output>`; otherwise `OK`. */
export const defaultResponsesResponder: ResponsesResponder = (turn) => {
  const last = turn.toolOutputs.at(-1);
  if (turn.continuingAfterTool && last !== undefined) return openAIResponsesReplies.text(`Tool output: ${last.output}`);
  return openAIResponsesReplies.text("OK");
};
