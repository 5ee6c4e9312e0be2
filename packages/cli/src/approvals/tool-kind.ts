/** The normalized kinds of tool a `--allow-tool` name may also give. */
const TOOL_KINDS = ["shell", "read", "write", "edit", "search", "web", "mcp", "other"] as const;

/** One normalized tool kind. */
export type ToolKind = (typeof TOOL_KINDS)[number];

// The native tool names of Claude Code, Codex, Gemini CLI and Amp, by kind.
const NATIVE: Readonly<Record<string, ToolKind>> = {
  bash: "shell",
  run_shell_command: "shell",
  shell: "shell",
  exec_command: "shell",
  local_shell: "shell",
  command_execution: "shell",
  read: "read",
  read_file: "read",
  read_many_files: "read",
  notebookread: "read",
  write: "write",
  write_file: "write",
  create_file: "write",
  edit: "edit",
  multiedit: "edit",
  notebookedit: "edit",
  replace: "edit",
  apply_patch: "edit",
  edit_file: "edit",
  file_change: "edit",
  grep: "search",
  glob: "search",
  ls: "search",
  list_directory: "search",
  search_file_content: "search",
  websearch: "web",
  webfetch: "web",
  web_fetch: "web",
  google_web_search: "web",
  web_search: "web",
};

/**
 * The normalized kind of a tool from its native name (`Bash` and `run_shell_command` are both
 * `shell`; `mcp__server__tool` is `mcp`). A kind the provider reported wins.
 */
export function toolKindOf(toolName: string, reported?: unknown): ToolKind {
  if (typeof reported === "string" && (TOOL_KINDS as readonly string[]).includes(reported)) return reported as ToolKind;
  const name = toolName.trim().toLowerCase();
  if (name.startsWith("mcp__") || name.startsWith("mcp:")) return "mcp";
  return NATIVE[name] ?? "other";
}
