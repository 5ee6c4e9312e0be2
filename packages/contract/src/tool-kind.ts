/**
 * The normalized kinds of tool a `tool_use` event carries in `toolKind`, beside the provider's
 * own tool name: the same action looks the same from every provider (Claude's `Bash`, Codex's
 * command execution and Gemini's `run_shell_command` are all `shell`).
 */
export const TOOL_KINDS = ["shell", "read", "write", "edit", "search", "web", "mcp", "other"] as const;

/** One normalized tool kind. */
export type ToolKind = (typeof TOOL_KINDS)[number];

// The native tool names of Claude Code, Codex, Gemini CLI and Amp, by kind (lowercased).
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

// Kinds that agent protocols report in their own words (ACP's tool-call `kind`, the Codex
// app-server's item types), translated to ours.
const REPORTED: Readonly<Record<string, ToolKind>> = {
  execute: "shell",
  fetch: "web",
  delete: "edit",
  move: "edit",
  think: "other",
  switch_mode: "other",
};

/** True when `value` is one of {@link TOOL_KINDS}. */
export function isToolKind(value: unknown): value is ToolKind {
  return typeof value === "string" && (TOOL_KINDS as readonly string[]).includes(value);
}

/**
 * The normalized kind of a tool, from its native name: `Bash` and `run_shell_command` are both
 * `shell`; MCP tools are `mcp` (Claude's `mcp__server__tool`, Gemini's `server__tool`, names
 * prefixed `mcp_` or `mcp:`); a name nobody knows is `other`. A kind the provider reported
 * (`reported`, ours or an agent protocol's such as ACP's `execute`) wins over the name.
 *
 * @example
 * ```ts
 * toolKindOf("Bash"); // "shell"
 * toolKindOf("mcp__github__create_issue"); // "mcp"
 * toolKindOf("anything", "execute"); // "shell"
 * ```
 */
export function toolKindOf(toolName: string, reported?: unknown): ToolKind {
  if (isToolKind(reported)) return reported;
  if (typeof reported === "string" && Object.hasOwn(REPORTED, reported)) return REPORTED[reported]!;
  const name = toolName.trim().toLowerCase();
  if (name.startsWith("mcp__") || name.startsWith("mcp_") || name.startsWith("mcp:") || name.includes("__")) return "mcp";
  return Object.hasOwn(NATIVE, name) ? NATIVE[name]! : "other";
}
