import { RequestError, type ContentBlock } from "@agentclientprotocol/sdk";

/**
 * The run prompt of an ACP prompt: text blocks joined, resource links and embedded text resources
 * named; images and audio are refused (the agent capabilities advertise neither).
 */
export function promptTextOf(blocks: readonly ContentBlock[]): string {
  const parts = blocks.map((block, index) => {
    switch (block.type) {
      case "text":
        return block.text;
      case "resource_link":
        return `@${block.uri}`;
      case "resource":
        return "text" in block.resource ? `<resource uri="${block.resource.uri}">\n${block.resource.text}\n</resource>` : `@${block.resource.uri}`;
      default:
        throw RequestError.invalidParams({ key: `prompt[${index}]`, code: "unsupported" }, `${block.type} prompt blocks are not supported`);
    }
  });
  const text = parts.join("\n").trim();
  if (text === "") throw RequestError.invalidParams({ key: "prompt", code: "config_invalid" }, "the prompt has no text");
  return text;
}
