import { AsmError, type AnyHostTool } from "@asm/contract";
import { z } from "zod";

/** MCP clients (Claude Code, Codex) accept tool names of this shape; longer or odd ones are dropped or mangled. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A checked host tool: its definition and the JSON Schema sent to the agent. */
export interface CheckedHostTool {
  readonly tool: AnyHostTool;
  readonly jsonSchema: Record<string, unknown>;
}

function invalid(key: string, message: string, details: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", message, { details: { key, ...details } });
}

function inputJsonSchema(tool: AnyHostTool, key: string, index: number): Record<string, unknown> {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(tool.inputSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch (error) {
    throw invalid(key, `${key}[${index}] (${tool.name}): inputSchema cannot be described as JSON Schema: ${error instanceof Error ? error.message : String(error)}`, { index });
  }
  if (schema.type !== "object") {
    throw invalid(key, `${key}[${index}] (${tool.name}): inputSchema must be an object schema (z.object(...)); MCP tool inputs are JSON objects`, { index });
  }
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/**
 * Checks a list of host tools (as `createAsm({ tools })` or a session's `hostTools` gives it) and
 * returns them keyed by name. A malformed definition or a repeated name → `AsmError`
 * (`config_invalid`, `details.key` = `key`), so a bad tool fails when it is handed in, not when
 * the agent first calls it.
 */
export function checkHostTools(tools: unknown, key: string): Map<string, CheckedHostTool> {
  if (!Array.isArray(tools)) throw invalid(key, `${key} must be an array of host tools ({ name, description, inputSchema, call })`);
  const checked = new Map<string, CheckedHostTool>();
  tools.forEach((candidate: unknown, index) => {
    if (typeof candidate !== "object" || candidate === null) throw invalid(key, `${key}[${index}] must be a host tool object`, { index });
    const tool = candidate as Partial<AnyHostTool>;
    if (typeof tool.name !== "string" || !TOOL_NAME.test(tool.name)) {
      throw invalid(key, `${key}[${index}].name must be 1-64 letters, digits, "_" or "-"`, { index });
    }
    if (typeof tool.description !== "string") throw invalid(key, `${key}[${index}] (${tool.name}): description must be a string`, { index });
    if (typeof tool.call !== "function") throw invalid(key, `${key}[${index}] (${tool.name}): call must be a function`, { index });
    if (!(tool.inputSchema instanceof z.ZodType)) {
      throw invalid(key, `${key}[${index}] (${tool.name}): inputSchema must be a zod schema`, { index });
    }
    if (checked.has(tool.name)) throw invalid(key, `${key} names the tool "${tool.name}" twice`, { index, toolName: tool.name });
    const definition = tool as AnyHostTool;
    checked.set(tool.name, { tool: definition, jsonSchema: inputJsonSchema(definition, key, index) });
  });
  return checked;
}
