import type { SessionUpdate, ToolKind } from "@agentclientprotocol/sdk";
import type { AsmEvent } from "@asm/contract";

/** The ACP tool kind of an agent's tool, from its name (the contract's `toolKind` wins when present). */
export function toolKindOf(toolName: string, declared?: unknown): ToolKind {
  const known: readonly ToolKind[] = ["read", "edit", "delete", "move", "search", "execute", "think", "fetch", "switch_mode", "other"];
  if (typeof declared === "string" && (known as readonly string[]).includes(declared)) return declared as ToolKind;
  const name = toolName.toLowerCase();
  if (/bash|shell|exec|command|terminal/.test(name)) return "execute";
  if (/edit|write|patch|replace/.test(name)) return "edit";
  if (/read|view|cat/.test(name)) return "read";
  if (/grep|glob|search|find|ls/.test(name)) return "search";
  if (/fetch|web|http/.test(name)) return "fetch";
  if (/think|todo|plan/.test(name)) return "think";
  return "other";
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((block: { text?: unknown }) => (typeof block?.text === "string" ? block.text : "")).join("");
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

/**
 * Turns ASM events into ACP `session/update` payloads: text deltas (or a whole message when
 * nothing was streamed for it) as agent message chunks, thinking as thought chunks, tool calls and
 * results, plans. Approvals are not updates (they become permission requests).
 */
export class SessionUpdates {
  private streamed = false;

  /** The updates one event becomes. */
  updatesOf(event: AsmEvent): SessionUpdate[] {
    switch (event.kind) {
      case "assistant_delta":
        if (event.payload.content === "") return [];
        this.streamed = true;
        return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.payload.content } }];
      case "assistant_message": {
        const streamed = this.streamed;
        this.streamed = false;
        const text = textOf(event.payload.content);
        return streamed || text === "" ? [] : [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text } }];
      }
      case "thinking":
        return event.payload.content === "" ? [] : [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.payload.content } }];
      case "tool_use":
        return [
          {
            sessionUpdate: "tool_call",
            toolCallId: event.payload.toolCallId,
            title: event.payload.toolName,
            kind: toolKindOf(event.payload.toolName, (event.payload as { toolKind?: unknown }).toolKind),
            status: "in_progress",
            rawInput: event.payload.input,
          },
        ];
      case "tool_result": {
        const text = textOf(event.payload.content);
        return [
          {
            sessionUpdate: "tool_call_update",
            toolCallId: event.payload.toolCallId,
            status: event.payload.isError ? "failed" : "completed",
            rawOutput: event.payload.content,
            ...(text === "" ? {} : { content: [{ type: "content", content: { type: "text", text } }] }),
          },
        ];
      }
      case "plan":
        return [
          {
            sessionUpdate: "plan",
            entries: event.payload.entries.map((entry) => ({
              content: entry.content,
              priority: "medium",
              status: entry.status === "completed" || entry.status === "in_progress" ? entry.status : "pending",
            })),
          },
        ];
      default:
        return [];
    }
  }
}
