import { AsmError } from "@asm/contract";

/** One chat message as the endpoint understands it. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A validated chat-completions request. */
export interface ChatRequest {
  model: string | undefined;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
}

/**
 * Fields the endpoint honours. Anything else (sampling, `max_tokens`, `response_format`, …) is
 * refused with `unsupported` rather than ignored: an agent CLI cannot honour it.
 */
const ACCEPTED = new Set(["model", "messages", "prompt", "stream", "stream_options", "tools", "tool_choice", "user", "n"]);

const invalid = (key: string, message: string) => new AsmError("config_invalid", message, { details: { key } });
const unsupported = (key: string, message: string) => new AsmError("unsupported", message, { details: { key } });

/** True when the request asks for client-side tools (non-empty `tools`, or a `tool_choice` other than `none`). */
export function requestsTools(body: Record<string, unknown>): boolean {
  const tools = body.tools;
  if (Array.isArray(tools) ? tools.length > 0 : tools !== undefined && tools !== null) return true;
  return body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== "none";
}

/** Text of a message's `content`: a string, or text parts (any other part is refused). */
function contentText(content: unknown, key: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw invalid(key, `${key} must be a string or an array of text parts`);
  return content
    .map((part: unknown, index) => {
      const record = part as { type?: unknown; text?: unknown } | null;
      if (record?.type === "text" && typeof record.text === "string") return record.text;
      throw unsupported(`${key}[${index}]`, `${key}[${index}]: only text parts are supported`);
    })
    .join("");
}

function messagesOf(body: Record<string, unknown>): ChatMessage[] {
  if (typeof body.prompt === "string") return [{ role: "user", content: body.prompt }];
  if (!Array.isArray(body.messages)) throw invalid("messages", "messages must be an array of chat messages");
  const messages: ChatMessage[] = [];
  body.messages.forEach((message: unknown, index) => {
    const record = message as { role?: unknown; content?: unknown } | null;
    if (typeof record !== "object" || record === null || typeof record.role !== "string" || record.role === "") {
      throw invalid(`messages[${index}].role`, `messages[${index}] must be an object with a role`);
    }
    const content = contentText(record.content, `messages[${index}].content`);
    if (content.trim() !== "") messages.push({ role: record.role.toLowerCase(), content });
  });
  if (messages.length === 0) throw invalid("messages", "messages must hold at least one message with content");
  return messages;
}

/** Validates a chat-completions body (tools are checked before this, against the publication). */
export function parseChatRequest(body: Record<string, unknown>): ChatRequest {
  for (const key of Object.keys(body)) {
    if (!ACCEPTED.has(key) && body[key] !== undefined && body[key] !== null) throw unsupported(key, `${key} is not supported by this endpoint`);
  }
  if (body.model !== undefined && typeof body.model !== "string") throw invalid("model", "model must be a string");
  if (body.stream !== undefined && typeof body.stream !== "boolean") throw invalid("stream", "stream must be a boolean");
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw unsupported("n", "only n = 1 is supported");
  const options = body.stream_options as { include_usage?: unknown } | undefined | null;
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
    throw invalid("stream_options", "stream_options must be an object");
  }
  return {
    model: body.model,
    messages: messagesOf(body),
    stream: body.stream === true,
    includeUsage: options?.include_usage === true,
  };
}

/**
 * The prompt for a run. A lone user message is sent as it is; a transcript becomes one line per
 * message, `role: content`. In a continued conversation only the messages after the last
 * assistant reply are new (the provider holds the rest).
 */
export function promptOf(messages: readonly ChatMessage[], continued: boolean): string {
  let selected = messages;
  if (continued) {
    const lastAssistant = messages.map((message) => message.role).lastIndexOf("assistant");
    selected = messages.slice(lastAssistant + 1);
    if (selected.length === 0) throw invalid("messages", "a continued conversation needs a new message after the last assistant reply");
  }
  const [only] = selected;
  if (selected.length === 1 && only?.role === "user") return only.content;
  return selected.map((message) => `${message.role}: ${message.content}`).join("\n");
}

/** OpenAI's `finish_reason` for a provider stop reason or an ASM error code. */
export function finishReasonOf(stopReason: string | null, errorCode?: string): string {
  if (errorCode === "user_cancelled") return "cancelled";
  switch (stopReason) {
    case null:
    case "end_turn":
    case "stop_sequence":
    case "tool_use":
      return "stop";
    case "max_tokens":
      return "length";
    case "refusal":
      return "content_filter";
    default:
      return stopReason;
  }
}
