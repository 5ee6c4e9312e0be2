import type {
  GeminiErrorReply,
  GeminiFunctionResponse,
  GeminiMessageReply,
  GeminiReply,
  GeminiReplyPart,
  GeminiResponder,
} from "./gemini-types.js";

type MessageOptions = Omit<GeminiMessageReply, "kind" | "parts">;

/**
 * Builders of scripted Gemini replies and responders, for `startFakeGemini().script(...)`.
 *
 * @example
 * ```ts
 * server.script(geminiReplies.text("OK"));
 * server.respondWith(geminiReplies.shellThenText("echo hi", (results) => `The command printed: ${shellOutput(results[0]?.text ?? "")}`));
 * ```
 */
export const geminiReplies = {
  /** A text answer. */
  text(text: string, options: MessageOptions = {}): GeminiMessageReply {
    return { kind: "message", parts: [{ text }], ...options };
  },

  /** Any sequence of parts. */
  parts(parts: GeminiReplyPart[], options: MessageOptions = {}): GeminiMessageReply {
    return { kind: "message", parts, ...options };
  },

  /** A function call (optionally after a short text). */
  functionCall(
    name: string,
    args: Record<string, unknown>,
    options: MessageOptions & { preface?: string; id?: string } = {},
  ): GeminiMessageReply {
    const { preface, id, ...rest } = options;
    const parts: GeminiReplyPart[] = [];
    if (preface !== undefined) parts.push({ text: preface });
    parts.push({ functionCall: { name, args, ...(id === undefined ? {} : { id }) } });
    return { kind: "message", parts, ...rest };
  },

  /** A call of Gemini CLI's shell tool, `run_shell_command`. */
  shell(command: string, options: MessageOptions & { preface?: string; description?: string } = {}): GeminiMessageReply {
    const { description, ...rest } = options;
    return geminiReplies.functionCall("run_shell_command", { command, description: description ?? `Run ${command}` }, rest);
  },

  /** An HTTP error with a Google API error body (`status` derived from the HTTP status unless given). */
  error(status: number, options: Omit<GeminiErrorReply, "kind" | "status"> = {}): GeminiErrorReply {
    return { kind: "error", status, ...options };
  },

  /** Never answer at all. */
  hang(): GeminiReply {
    return { kind: "hang" };
  },

  /** Close the connection before any response. */
  drop(delayMs?: number): GeminiReply {
    return delayMs === undefined ? { kind: "drop" } : { kind: "drop", delayMs };
  },

  /** Start streaming `text`, then cut the connection after its first chunk. */
  dropMidStream(text = "Partial answer that never ends", options: MessageOptions = {}): GeminiMessageReply {
    return { kind: "message", parts: [{ text }], deltaSize: 8, ...options, cut: { afterChunks: 1, mode: "drop" } };
  },

  /** Start streaming `text`, then stall after its first chunk with the connection open. */
  stallMidStream(text = "Thinking slowly about this", options: MessageOptions = {}): GeminiMessageReply {
    return { kind: "message", parts: [{ text }], deltaSize: 8, ...options, cut: { afterChunks: 1, mode: "hang" } };
  },

  /**
   * A stateless responder for a one-tool turn: asks for the function call, and answers
   * `followUp` once the last user content carries a `functionResponse` (so it also works across
   * retries and resumes).
   */
  toolThenText(
    name: string,
    args: Record<string, unknown>,
    followUp: string | ((results: GeminiFunctionResponse[]) => string),
    options: { preface?: string } = {},
  ): GeminiResponder {
    return (turn) => {
      if (turn.functionResponses.length > 0) {
        return geminiReplies.text(typeof followUp === "string" ? followUp : followUp(turn.functionResponses));
      }
      return geminiReplies.functionCall(name, args, options.preface === undefined ? {} : { preface: options.preface });
    };
  },

  /** {@link geminiReplies.toolThenText} for `run_shell_command`. */
  shellThenText(
    command: string,
    followUp: string | ((results: GeminiFunctionResponse[]) => string),
    options: { preface?: string; description?: string } = {},
  ): GeminiResponder {
    return geminiReplies.toolThenText(
      "run_shell_command",
      { command, description: options.description ?? `Run ${command}` },
      followUp,
      options.preface === undefined ? {} : { preface: options.preface },
    );
  },
} as const;

/**
 * The command output inside a `run_shell_command` function response, which Gemini CLI wraps as
 * `<untrusted_context>\nOutput: hi\nProcess Group PGID: …\n</untrusted_context>`.
 */
export function shellOutput(responseText: string): string {
  const match = /Output: ([\s\S]*?)(?:\n(?:Error|Exit Code|Signal|Background PIDs|Process Group PGID):|\n<\/untrusted_context>|$)/.exec(responseText);
  return (match?.[1] ?? responseText).trim();
}

/**
 * The reply used when nothing is scripted: after a function response,
 * `Tool result (is_error=…): <text>`; otherwise `OK`.
 */
export const defaultGeminiResponder: GeminiResponder = (turn) => {
  const result = turn.functionResponses[0];
  if (result !== undefined) return geminiReplies.text(`Tool result (is_error=${String(result.isError)}): ${result.text}`);
  return geminiReplies.text("OK");
};

/**
 * The reply to a non-streamed `generateContent` call when nothing else is set: the JSON the CLI's
 * model router expects when the request asks for JSON (`-m` omitted), else `OK`.
 */
export const defaultGeminiUtilityResponder: GeminiResponder = (turn) => {
  const config = turn.body.generationConfig ?? {};
  const wantsJson = config.responseMimeType === "application/json" || config.responseJsonSchema !== undefined || config.responseSchema !== undefined;
  if (wantsJson) return geminiReplies.text(JSON.stringify({ complexity_reasoning: "fake", complexity_score: 10 }));
  return geminiReplies.text("OK");
};
