import { toolKindOf, type ToolKind } from "@asm/contract";

/** An approval request as a person reads it. */
export interface ApprovalView {
  /** The tool's native name (`Bash`, `run_shell_command`). */
  tool: string;
  kind: ToolKind;
  /** One line or a few saying what the tool would do. */
  lines: string[];
}

const MAX_LINE = 200;

function cut(text: string): string {
  const single = text.replace(/\s*\n\s*/g, " ⏎ ");
  return single.length > MAX_LINE ? `${single.slice(0, MAX_LINE - 1)}…` : single;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function lineCount(value: unknown): number {
  return typeof value === "string" && value !== "" ? value.split("\n").length : 0;
}

/**
 * The tool and the input of an `approval_requested` event, readably: the command of a shell
 * call, the path and a `-removed +added lines` summary of an edit or write, else the input as
 * compact JSON (cut to one line).
 */
export function describeApproval(subject: string, details: Record<string, unknown>): ApprovalView {
  const tool = typeof details.toolName === "string" && details.toolName !== "" ? details.toolName : subject;
  const kind = toolKindOf(tool, details.toolKind);
  const rawInput = details.toolInput ?? details.input ?? details.command;
  const input = record(rawInput);
  const path = input.file_path ?? input.path ?? input.filePath ?? input.notebook_path;
  if (kind === "shell") {
    const command = typeof rawInput === "string" ? rawInput : input.command ?? input.cmd;
    const shown = Array.isArray(command) ? command.join(" ") : typeof command === "string" ? command : JSON.stringify(rawInput ?? {});
    const lines = [`$ ${cut(shown)}`];
    if (typeof input.description === "string" && input.description !== "") lines.push(`(${cut(input.description)})`);
    return { tool, kind, lines };
  }
  if ((kind === "edit" || kind === "write") && typeof path === "string") {
    let removed = 0;
    let added = 0;
    const edits = Array.isArray(input.edits) ? input.edits.map(record) : [input];
    for (const edit of edits) {
      removed += lineCount(edit.old_string ?? edit.oldString);
      added += lineCount(edit.new_string ?? edit.newString ?? edit.content);
    }
    return { tool, kind, lines: [`${path}  (-${removed} +${added} lines)`] };
  }
  if (rawInput === undefined) return { tool, kind, lines: [] };
  return { tool, kind, lines: [cut(typeof rawInput === "string" ? rawInput : JSON.stringify(rawInput))] };
}
