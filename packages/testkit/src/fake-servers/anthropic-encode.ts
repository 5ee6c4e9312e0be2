import type { AnthropicMessageReply, AnthropicReplyBlock, AnthropicTurn } from "./anthropic-types.js";

/** One SSE event of the Anthropic Messages stream. */
export interface AnthropicSseEvent {
  event: string;
  data: Record<string, unknown>;
}

const DEFAULT_MODEL = "claude-fake";
const FAKE_SIGNATURE = "ZmFrZS1zaWduYXR1cmU=";

/** The complete Anthropic message a reply stands for (the non-streaming response body). */
export function anthropicMessageJson(reply: AnthropicMessageReply, turn: AnthropicTurn): Record<string, unknown> {
  const blocks = resolveBlocks(reply, turn);
  const usage = usageOf(reply, turn, blocks);
  return {
    id: messageId(turn),
    type: "message",
    role: "assistant",
    model: reply.model ?? turn.body.model ?? DEFAULT_MODEL,
    content: blocks.map(finalBlock),
    stop_reason: stopReasonOf(reply, blocks),
    stop_sequence: null,
    usage: {
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

/**
 * The SSE events of a streamed reply, in the order the real API sends them: `message_start`,
 * per block `content_block_start` / `content_block_delta`… / `content_block_stop` (with one
 * `ping` after the first block starts), `message_delta` (stop reason and usage), `message_stop`.
 */
export function anthropicSseEvents(reply: AnthropicMessageReply, turn: AnthropicTurn): AnthropicSseEvent[] {
  const blocks = resolveBlocks(reply, turn);
  const usage = usageOf(reply, turn, blocks);
  const size = Math.max(1, reply.deltaSize ?? 32);
  const events: AnthropicSseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: messageId(turn),
          type: "message",
          role: "assistant",
          model: reply.model ?? turn.body.model ?? DEFAULT_MODEL,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
    },
  ];
  blocks.forEach((block, index) => {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: startBlock(block) } });
    if (index === 0) events.push({ event: "ping", data: { type: "ping" } });
    for (const delta of deltasOf(block, size)) {
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta } });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  if (blocks.length === 0) events.push({ event: "ping", data: { type: "ping" } });
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: stopReasonOf(reply, blocks), stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

type ResolvedBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown>; id: string };

function resolveBlocks(reply: AnthropicMessageReply, turn: AnthropicTurn): ResolvedBlock[] {
  let tools = 0;
  return reply.content.map((block: AnthropicReplyBlock): ResolvedBlock => {
    if (block.type === "tool_use") {
      tools += 1;
      const id = block.id ?? (tools === 1 ? `toolu_fake_${turn.number}` : `toolu_fake_${turn.number}_${tools}`);
      return { type: "tool_use", name: block.name, input: block.input, id };
    }
    if (block.type === "thinking") return { type: "thinking", thinking: block.thinking, signature: block.signature ?? FAKE_SIGNATURE };
    return { type: "text", text: block.text };
  });
}

function startBlock(block: ResolvedBlock): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: "" };
    case "thinking":
      return { type: "thinking", thinking: "", signature: "" };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: {} };
  }
}

function finalBlock(block: ResolvedBlock): Record<string, unknown> {
  return { ...block };
}

function deltasOf(block: ResolvedBlock, size: number): Array<Record<string, unknown>> {
  switch (block.type) {
    case "text":
      return pieces(block.text, size).map((text) => ({ type: "text_delta", text }));
    case "thinking":
      return [
        ...pieces(block.thinking, size).map((thinking) => ({ type: "thinking_delta", thinking })),
        { type: "signature_delta", signature: block.signature },
      ];
    case "tool_use":
      return pieces(JSON.stringify(block.input), size).map((partial_json) => ({ type: "input_json_delta", partial_json }));
  }
}

function pieces(text: string, size: number): string[] {
  const characters = [...text];
  const out: string[] = [];
  for (let start = 0; start < characters.length; start += size) out.push(characters.slice(start, start + size).join(""));
  return out.length === 0 ? [""] : out;
}

function stopReasonOf(reply: AnthropicMessageReply, blocks: ResolvedBlock[]): string {
  return reply.stopReason ?? (blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn");
}

function usageOf(reply: AnthropicMessageReply, turn: AnthropicTurn, blocks: ResolvedBlock[]): { inputTokens: number; outputTokens: number } {
  // Rough 4-characters-per-token estimates; deterministic for a given request and reply.
  const inputChars = JSON.stringify(turn.body.messages ?? []).length;
  const outputChars = blocks.reduce((total, block) => total + JSON.stringify(block).length, 0);
  return {
    inputTokens: reply.usage?.inputTokens ?? Math.max(1, Math.ceil(inputChars / 4)),
    outputTokens: reply.usage?.outputTokens ?? Math.max(1, Math.ceil(outputChars / 4)),
  };
}

function messageId(turn: AnthropicTurn): string {
  return `msg_fake_${turn.number}`;
}
