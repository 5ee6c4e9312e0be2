import { anthropicReplies } from "./anthropic-replies.js";
import type { AnthropicResponder } from "./anthropic-types.js";
import { geminiReplies } from "./gemini-replies.js";
import type { GeminiResponder } from "./gemini-types.js";
import { openAIResponsesReplies } from "./openai-responses-replies.js";
import type { ResponsesResponder } from "./openai-responses-types.js";

/** Every `name` string in a request's tool declarations, however deeply a CLI nests them. */
function declaredNames(tools: unknown): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record.name === "string") names.push(record.name);
    for (const [key, child] of Object.entries(record)) if (key !== "parameters" && key !== "input_schema" && key !== "parametersJsonSchema") visit(child);
  };
  visit(tools);
  return names;
}

/**
 * The name a CLI offers MCP tool `tool` of `server` under, among the names its request declares:
 * Claude Code and Codex say `mcp__<server>__<tool>`, Gemini CLI `mcp_<server>_<tool>`. Undefined
 * when the request does not offer it (the CLI did not load the server).
 */
export function offeredMcpToolName(tools: unknown, server: string, tool: string): string | undefined {
  const wanted = [`mcp__${server}__${tool}`, `mcp_${server}_${tool}`, `${server}__${tool}`, `${server}.${tool}`];
  const names = declaredNames(tools);
  return wanted.find((name) => names.includes(name));
}

/** The namespace (`mcp__<server>`) a Responses request declares `tool` in, if it does. */
function offeredNamespace(tools: unknown, server: string, tool: string): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  const wanted = [`mcp__${server}`, `mcp__${server}__`, server];
  for (const entry of tools as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const record = entry as { type?: unknown; name?: unknown; tools?: unknown };
    if (record.type !== "namespace" || typeof record.name !== "string" || !wanted.includes(record.name)) continue;
    if (declaredNames(record.tools).includes(tool)) return record.name;
  }
  return undefined;
}

/**
 * The tool's own text in a Codex tool output: Codex sends an MCP result as content items, the
 * first a `Wall time: … Output:` header it adds.
 */
function codexToolText(output: string): string {
  let items: unknown;
  try {
    items = JSON.parse(output);
  } catch {
    return output;
  }
  if (!Array.isArray(items)) return output;
  return items
    .flatMap((item: unknown) => (typeof item === "object" && item !== null && typeof (item as { text?: unknown }).text === "string" ? [(item as { text: string }).text] : []))
    .filter((text) => !text.startsWith("Wall time:"))
    .join("\n");
}

type FollowUp = (toolResultText: string) => string;

/** What a responder answers when the CLI never offered the tool, so the test sees why. */
function notOffered(server: string, tool: string, tools: unknown): string {
  const unnamed = Array.isArray(tools) ? tools.filter((entry: unknown) => typeof entry === "object" && entry !== null && !("name" in entry)).map((entry) => String((entry as { type?: unknown }).type)) : [];
  return `MCP tool ${server}/${tool} was not offered; declared: ${[...declaredNames(tools), ...unnamed.map((type) => `<${type}>`)].join(", ")}`;
}

/**
 * Responders that call an MCP tool the CLI offers (found by name in the request's tool list) and,
 * once the CLI sends the tool's result back, answer `followUp(result text)`. They prove the CLI
 * loaded the server, listed its tools, called one, and returned what the tool answered.
 *
 * @example
 * ```ts
 * api.respondWith(mcpToolReplies.anthropic("asm", "add", { a: 2, b: 3 }, (text) => `The sum is ${text}`));
 * ```
 */
export const mcpToolReplies = {
  /** For the fake Anthropic server (Claude Code). */
  anthropic(server: string, tool: string, input: Record<string, unknown>, followUp: FollowUp): AnthropicResponder {
    return (turn) => {
      const result = turn.toolResults[0];
      if (result !== undefined) return anthropicReplies.text(followUp(result.text));
      const name = offeredMcpToolName(turn.body.tools, server, tool);
      return name === undefined ? anthropicReplies.text(notOffered(server, tool, turn.body.tools)) : anthropicReplies.toolUse(name, input);
    };
  },

  /** For the fake OpenAI Responses server (Codex). */
  responses(server: string, tool: string, input: Record<string, unknown>, followUp: FollowUp): ResponsesResponder {
    return (turn) => {
      const output = turn.toolOutputs.at(-1);
      if (turn.continuingAfterTool && output !== undefined) return openAIResponsesReplies.text(followUp(codexToolText(output.output)));
      const namespace = offeredNamespace(turn.body.tools, server, tool);
      if (namespace !== undefined) {
        // Codex groups a server's tools in a namespace; the call names the tool and its namespace.
        const item = { id: `fc_mcp_${turn.number}`, type: "function_call", status: "completed", call_id: `call_mcp_${turn.number}`, namespace, name: tool, arguments: JSON.stringify(input) };
        return openAIResponsesReplies.message([{ type: "item", item }]);
      }
      const name = offeredMcpToolName(turn.body.tools, server, tool);
      return name === undefined ? openAIResponsesReplies.text(notOffered(server, tool, turn.body.tools)) : openAIResponsesReplies.functionCall(name, input);
    };
  },

  /** For the fake Gemini server (Gemini CLI). */
  gemini(server: string, tool: string, input: Record<string, unknown>, followUp: FollowUp): GeminiResponder {
    return (turn) => {
      const response = turn.functionResponses[0];
      // Gemini CLI wraps an MCP tool's text in <untrusted_context> tags.
      if (response !== undefined) return geminiReplies.text(followUp(response.text.replace(/^\s*<untrusted_context>\s*([\s\S]*?)\s*<\/untrusted_context>\s*$/, "$1")));
      const name = offeredMcpToolName(turn.body.tools, server, tool);
      return name === undefined ? geminiReplies.text(notOffered(server, tool, turn.body.tools)) : geminiReplies.functionCall(name, input);
    };
  },
} as const;
