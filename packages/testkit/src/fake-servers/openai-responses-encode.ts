import { stringOf } from "@asm/provider-utils";
import type { ResponsesMessageReply, ResponsesTurn } from "./openai-responses-types.js";

/** One SSE event: its name and JSON data (the data repeats the name as `type`). */
export interface ResponsesSseEvent {
  event: string;
  data: Record<string, unknown>;
}

function chunks(text: string, size: number): string[] {
  if (text === "") return [""];
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

/** The output items of a scripted response, with ids derived from the call number. */
function responsesOutputItems(reply: ResponsesMessageReply, turn: ResponsesTurn): Array<Record<string, unknown>> {
  return reply.output.map((block, index) => {
    const suffix = `${turn.number}_${index}`;
    switch (block.type) {
      case "text":
        return {
          id: `msg_fake_${suffix}`,
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: block.text, annotations: [] }],
        };
      case "reasoning":
        return { id: `rs_fake_${suffix}`, type: "reasoning", summary: [{ type: "summary_text", text: block.summary }] };
      case "function_call":
        return {
          id: `fc_fake_${suffix}`,
          type: "function_call",
          status: "completed",
          call_id: block.callId ?? `call_fake_${suffix}`,
          name: block.name,
          arguments: typeof block.arguments === "string" ? block.arguments : JSON.stringify(block.arguments),
        };
      case "item":
        return block.item;
    }
  });
}

function usageOf(reply: ResponsesMessageReply) {
  const input = reply.usage?.inputTokens ?? 10;
  const output = reply.usage?.outputTokens ?? 5;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: reply.usage?.cachedTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reply.usage?.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

function responseShell(turn: ResponsesTurn) {
  return { id: `resp_fake_${turn.number}`, object: "response", created_at: Math.floor(Date.now() / 1000), model: turn.model };
}

/** The complete response object (`response.completed`'s payload, or the non-streamed body). */
export function responsesJson(reply: ResponsesMessageReply, turn: ResponsesTurn): Record<string, unknown> {
  return { ...responseShell(turn), status: "completed", output: responsesOutputItems(reply, turn), usage: usageOf(reply) };
}

/**
 * The SSE events of one response, in the order the real API streams them: `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its deltas
 * (`content_part.added` / `output_text.delta` / `output_text.done` / `content_part.done` for a
 * message, `function_call_arguments.delta` / `.done` for a function call) and
 * `response.output_item.done`, and finally `response.completed` with the usage.
 */
export function responsesSseEvents(reply: ResponsesMessageReply, turn: ResponsesTurn): ResponsesSseEvent[] {
  const shell = responseShell(turn);
  const size = Math.max(1, reply.deltaSize ?? 32);
  const items = responsesOutputItems(reply, turn);
  const events: ResponsesSseEvent[] = [
    { event: "response.created", data: { response: { ...shell, status: "in_progress", output: [] } } },
    { event: "response.in_progress", data: { response: { ...shell, status: "in_progress", output: [] } } },
  ];
  items.forEach((item, outputIndex) => {
    const itemId = stringOf(item.id);
    if (item.type === "message") {
      const part = (item.content as Array<{ text: string }>)[0];
      const text = part?.text ?? "";
      const emptyPart = { type: "output_text", text: "", annotations: [] };
      events.push({ event: "response.output_item.added", data: { output_index: outputIndex, item: { ...item, status: "in_progress", content: [] } } });
      events.push({ event: "response.content_part.added", data: { item_id: itemId, output_index: outputIndex, content_index: 0, part: emptyPart } });
      for (const delta of chunks(text, size)) {
        events.push({ event: "response.output_text.delta", data: { item_id: itemId, output_index: outputIndex, content_index: 0, delta } });
      }
      events.push({ event: "response.output_text.done", data: { item_id: itemId, output_index: outputIndex, content_index: 0, text } });
      events.push({
        event: "response.content_part.done",
        data: { item_id: itemId, output_index: outputIndex, content_index: 0, part: { ...emptyPart, text } },
      });
    } else if (item.type === "function_call") {
      const args = stringOf(item.arguments);
      events.push({ event: "response.output_item.added", data: { output_index: outputIndex, item: { ...item, status: "in_progress", arguments: "" } } });
      for (const delta of chunks(args, size)) {
        events.push({ event: "response.function_call_arguments.delta", data: { item_id: itemId, output_index: outputIndex, delta } });
      }
      events.push({ event: "response.function_call_arguments.done", data: { item_id: itemId, output_index: outputIndex, arguments: args } });
    } else {
      events.push({ event: "response.output_item.added", data: { output_index: outputIndex, item } });
    }
    events.push({ event: "response.output_item.done", data: { output_index: outputIndex, item } });
  });
  events.push({ event: "response.completed", data: { response: responsesJson(reply, turn) } });
  return events.map((entry, sequence) => ({ event: entry.event, data: { type: entry.event, sequence_number: sequence, ...entry.data } }));
}

/** The two events of a response that fails after starting. */
export function responsesFailedEvents(turn: ResponsesTurn, message: string, code: string): ResponsesSseEvent[] {
  const shell = responseShell(turn);
  return [
    { event: "response.created", data: { type: "response.created", sequence_number: 0, response: { ...shell, status: "in_progress", output: [] } } },
    {
      event: "response.failed",
      data: { type: "response.failed", sequence_number: 1, response: { ...shell, status: "failed", output: [], error: { code, message } } },
    },
  ];
}
