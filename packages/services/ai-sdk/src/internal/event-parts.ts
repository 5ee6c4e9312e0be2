import type { JSONValue, LanguageModelV4StreamPart, SharedV4ProviderMetadata } from "@ai-sdk/provider";
import type { AsmEvent } from "@asm/contract";

/**
 * Turns a run's events into AI SDK stream parts, in order: text deltas (or a whole message's text
 * when nothing was streamed for it), thinking as reasoning, the agent's tool calls and results as
 * provider-executed dynamic tool parts. The finish part is the caller's (it needs the result).
 */
export class EventParts {
  private textId: string | null = null;
  private blocks = 0;
  /** Deltas were streamed since the last whole message, so the message repeats them. */
  private streamedSinceMessage = false;
  private readonly toolNames = new Map<string, string>();

  /**
   * The parts one event becomes. `metadata` (the provider session, once known) goes on the parts
   * that end a block, so the AI SDK carries it into the response messages.
   */
  partsOf(event: AsmEvent, metadata?: SharedV4ProviderMetadata): LanguageModelV4StreamPart[] {
    const meta = metadata ? { providerMetadata: metadata } : {};
    switch (event.kind) {
      case "run_started":
        return [{ type: "response-metadata", id: event.runId, timestamp: new Date(event.timestamp), ...(event.payload.model ? { modelId: event.payload.model } : {}) }];
      case "assistant_delta":
        if (event.payload.content === "") return [];
        this.streamedSinceMessage = true;
        return [...this.openText(), { type: "text-delta", id: this.textId!, delta: event.payload.content }];
      case "assistant_message": {
        const streamed = this.streamedSinceMessage;
        this.streamedSinceMessage = false;
        const text = event.payload.content.map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : "")).join("");
        if (streamed || text === "") return this.closeText(metadata);
        return [...this.openText(), { type: "text-delta", id: this.textId!, delta: text }, ...this.closeText(metadata)];
      }
      case "thinking": {
        if (event.payload.content === "") return [];
        const id = `reasoning-${this.blocks++}`;
        return [...this.closeText(metadata), { type: "reasoning-start", id }, { type: "reasoning-delta", id, delta: event.payload.content }, { type: "reasoning-end", id, ...meta }];
      }
      case "tool_use":
        this.toolNames.set(event.payload.toolCallId, event.payload.toolName);
        return [
          ...this.closeText(metadata),
          { type: "tool-call", toolCallId: event.payload.toolCallId, toolName: event.payload.toolName, input: JSON.stringify(event.payload.input ?? {}), providerExecuted: true, dynamic: true, ...meta },
        ];
      case "tool_result":
        return [
          ...this.closeText(metadata),
          {
            type: "tool-result",
            toolCallId: event.payload.toolCallId,
            toolName: event.payload.toolName ?? this.toolNames.get(event.payload.toolCallId) ?? "unknown",
            result: jsonOf(event.payload.content),
            isError: event.payload.isError,
            dynamic: true,
            ...meta,
          },
        ];
      default:
        return [];
    }
  }

  /** Closes an open text block (before the finish part). */
  closeText(metadata?: SharedV4ProviderMetadata): LanguageModelV4StreamPart[] {
    if (this.textId === null) return [];
    const id = this.textId;
    this.textId = null;
    return [{ type: "text-end", id, ...(metadata ? { providerMetadata: metadata } : {}) }];
  }

  private openText(): LanguageModelV4StreamPart[] {
    if (this.textId !== null) return [];
    this.textId = `text-${this.blocks++}`;
    return [{ type: "text-start", id: this.textId }];
  }
}

/** A tool result as a non-null JSON value (anything else becomes its string form). */
function jsonOf(value: unknown): NonNullable<JSONValue> {
  if (value === null || value === undefined) return "";
  try {
    return (JSON.parse(JSON.stringify(value)) as NonNullable<JSONValue> | undefined) ?? "";
  } catch {
    // Not serializable (a cycle, a bigint): the agent's result is reported as unreadable.
    return "[unserializable tool result]";
  }
}
