import { describe, expect, it } from "vitest";
import { isToolKind, TOOL_KINDS, toolKindOf } from "./index.js";

describe("toolKindOf", () => {
  it.each([
    ["Bash", "shell"],
    ["run_shell_command", "shell"],
    ["command_execution", "shell"],
    ["Read", "read"],
    ["read_file", "read"],
    ["Write", "write"],
    ["write_file", "write"],
    ["Edit", "edit"],
    ["replace", "edit"],
    ["apply_patch", "edit"],
    ["Grep", "search"],
    ["glob", "search"],
    ["WebFetch", "web"],
    ["google_web_search", "web"],
    ["mcp__github__create_issue", "mcp"],
    ["github__create_issue", "mcp"],
    ["mcp_github_create_issue", "mcp"],
    ["TodoWrite", "other"],
    ["something_new", "other"],
  ])("%s is %s", (name, kind) => {
    expect(toolKindOf(name)).toBe(kind);
  });

  it("prefers a kind the provider reported, ours or an agent protocol's", () => {
    expect(toolKindOf("Bash", "mcp")).toBe("mcp");
    expect(toolKindOf("Run a command", "execute")).toBe("shell");
    expect(toolKindOf("Fetch the page", "fetch")).toBe("web");
    expect(toolKindOf("Bash", "no-such-kind")).toBe("shell");
  });

  it("never answers outside the documented kinds", () => {
    for (const name of ["", " ", "__proto__", "constructor", "toString", "mcp"]) expect(isToolKind(toolKindOf(name))).toBe(true);
    expect(TOOL_KINDS).toContain(toolKindOf("constructor", "hasOwnProperty"));
  });
});
