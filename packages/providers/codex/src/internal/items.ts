// Mapping of `codex exec --json` thread items (item.started / item.updated / item.completed)
// onto tool calls. Item shapes are those codex 0.169.0 prints (see the parser fixtures).
import type { ToolKind } from "@asm/contract";
import { lookup, stringOf } from "@asm/provider-utils";

/** A thread item as printed by codex. */
export type CodexItem = Record<string, unknown> & { id?: unknown; type?: unknown };

/** How one tool-like item type becomes a tool call. */
interface ToolMapping {
  /** The normalized kind of the tool (`toolKind`). */
  kind: ToolKind;
  name(item: CodexItem): string;
  input(item: CodexItem): Record<string, unknown>;
  content(item: CodexItem): unknown;
  isError(item: CodexItem): boolean;
}

const FAILED_STATUSES = new Set(["failed", "errored", "declined", "interrupted", "not_found", "cancelled"]);

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function failedStatus(item: CodexItem): boolean {
  return FAILED_STATUSES.has(stringOf(item.status));
}

function changes(item: CodexItem): Array<Record<string, unknown>> {
  return Array.isArray(item.changes) ? (item.changes as Array<Record<string, unknown>>) : [];
}

/** Tool-like item types, with the cross-provider tool names ASM uses for them. */
const TOOL_ITEMS: Record<string, ToolMapping> = {
  command_execution: {
    kind: "shell",
    name: () => "Bash",
    input: (item) => ({ command: Array.isArray(item.command) ? item.command.map((part) => stringOf(part)).join(" ") : str(item.command) ?? "" }),
    content: (item) => str(item.aggregated_output) ?? str(item.stdout) ?? "",
    isError: (item) => failedStatus(item) || (typeof item.exit_code === "number" && item.exit_code !== 0),
  },
  file_change: {
    kind: "edit",
    name: () => "Edit",
    input: (item) => ({ file_path: str(changes(item)[0]?.path), changes: changes(item) }),
    content: (item) => ({ changes: changes(item), status: item.status }),
    isError: failedStatus,
  },
  mcp_tool_call: {
    kind: "mcp",
    name: (item) => `${str(item.server) ?? "mcp"}.${str(item.tool) ?? "tool"}`,
    input: (item) => ({ arguments: item.arguments ?? {} }),
    content: (item) => {
      const error = item.error as { message?: unknown } | null | undefined;
      if (error !== undefined && error !== null) return str(error.message) ?? error;
      const result = item.result as { content?: unknown } | null | undefined;
      return result?.content ?? result ?? null;
    },
    isError: (item) => failedStatus(item) || (item.error !== undefined && item.error !== null),
  },
  web_search: {
    kind: "web",
    name: () => "WebSearch",
    input: (item) => ({ query: str(item.query) ?? "" }),
    content: (item) => ({ query: item.query, ...(item.action === undefined ? {} : { action: item.action }) }),
    isError: failedStatus,
  },
  todo_list: {
    kind: "other",
    name: () => "TodoWrite",
    input: (item) => ({ items: Array.isArray(item.items) ? item.items : [] }),
    content: (item): unknown[] => (Array.isArray(item.items) ? (item.items as unknown[]) : []),
    isError: () => false,
  },
};

/** The tool mapping of an item type, if it is a tool-like item. */
export function toolMapping(type: string): ToolMapping | undefined {
  return lookup(TOOL_ITEMS, type);
}

/** Plan entries of a `todo_list` item. */
export function planEntries(item: CodexItem): Array<{ content: string; status: string }> {
  if (!Array.isArray(item.items)) return [];
  return (item.items as Array<Record<string, unknown>>).map((entry) => ({
    content: str(entry.text) ?? str(entry.content) ?? "",
    status: entry.completed === true ? "completed" : "pending",
  }));
}

/** The exit code carried by a command item, when there is one. */
export function itemExitCode(item: CodexItem): number | undefined {
  return typeof item.exit_code === "number" ? item.exit_code : undefined;
}
