import type { FieldCoverage } from "@asm/testkit";

// What `createCodexParser` does with every event type and field `codex exec --json` prints in the
// recorded transcripts: `mapped` fields feed a contract event, `ignored` ones are left alone on
// purpose. `parser.coverage.test.ts` fails on any recorded field that is in neither list.
// `x.*` covers a subtree handed on whole (a file change list, a web search action, a plan).

/** Event key of one line: `type`, and for item lines the item's type (`item.completed/agent_message`). */
function codexEventKey(line: Record<string, unknown>): string {
  const type = String(line["type"]);
  const item = line["item"];
  if (!type.startsWith("item.")) return type;
  return `${type}/${String(typeof item === "object" && item !== null ? (item as Record<string, unknown>)["type"] : undefined)}`;
}

const COMMAND = ["type", "item.id", "item.type", "item.command", "item.aggregated_output", "item.exit_code", "item.status"];
const FILE_CHANGE = ["type", "item.id", "item.type", "item.changes.*", "item.status"];
const WEB_SEARCH = ["type", "item.id", "item.type", "item.query", "item.action.*"];
const TODO_LIST = ["type", "item.id", "item.type", "item.items[].text", "item.items[].completed"];

/** The Codex parser's field coverage, checked against every recorded transcript. */
export const codexFieldCoverage: FieldCoverage = {
  eventKey: codexEventKey,
  mapped: {
    "thread.started": ["type", "thread_id"],
    "turn.started": ["type"],
    "turn.completed": ["type", "usage.input_tokens", "usage.cached_input_tokens", "usage.cache_write_input_tokens", "usage.output_tokens", "usage.reasoning_output_tokens"],
    "turn.failed": ["type", "error.message"],
    error: ["type", "message"],
    "item.completed/agent_message": ["type", "item.id", "item.type", "item.text"],
    "item.completed/reasoning": ["type", "item.id", "item.type", "item.text"],
    "item.completed/error": ["type", "item.id", "item.type", "item.message"],
    "item.started/command_execution": COMMAND,
    "item.completed/command_execution": COMMAND,
    "item.started/file_change": FILE_CHANGE,
    "item.completed/file_change": FILE_CHANGE,
    "item.started/web_search": WEB_SEARCH,
    "item.completed/web_search": WEB_SEARCH,
    "item.started/todo_list": TODO_LIST,
    "item.completed/todo_list": TODO_LIST,
  },
  ignored: {},
};
