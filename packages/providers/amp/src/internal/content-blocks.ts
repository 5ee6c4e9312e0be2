import type { ContentBlock } from "@asm/contract";
import { firstDefined, firstString, isRecord } from "@asm/provider-utils";

/**
 * Turns a native content value (a string, a block, or a list of both) into contract content
 * blocks. Anthropic's `tool_use_id`/`is_error` become `toolUseId`/`isError`; unknown block types
 * are kept as they are.
 */
export function toContentBlocks(value: unknown): ContentBlock[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map(toContentBlock);
}

function toContentBlock(item: unknown): ContentBlock {
  if (typeof item === "string") return { type: "text", text: item };
  if (!isRecord(item)) return { type: "unknown", value: item };
  const type = typeof item.type === "string" ? item.type : "unknown";
  switch (type) {
    case "text":
      return { ...item, type, text: typeof item.text === "string" ? item.text : "" };
    case "thinking":
      return { ...item, type, thinking: typeof item.thinking === "string" ? item.thinking : "" };
    case "tool_use":
      return { ...item, type, id: firstString(item, "id") ?? "", name: firstString(item, "name") ?? "", input: item.input ?? {} };
    case "tool_result": {
      const { tool_use_id: _id, is_error: _isError, ...rest } = item;
      return {
        ...rest,
        type,
        toolUseId: firstString(item, "tool_use_id", "toolUseId") ?? "",
        content: firstDefined(item, "content") ?? "",
        isError: item.is_error === true || item.isError === true,
      };
    }
    default:
      return { ...item, type };
  }
}

/** Tool-result content as text when it is a list of text blocks (joined by newlines), else as is. */
export function flattenToolResultContent(content: unknown): unknown {
  if (!Array.isArray(content) || content.length === 0) return content;
  const texts: string[] = [];
  for (const block of content) {
    if (typeof block === "string") texts.push(block);
    else if (isRecord(block) && block.type === "text" && typeof block.text === "string") texts.push(block.text);
    else return content;
  }
  return texts.join("\n");
}
