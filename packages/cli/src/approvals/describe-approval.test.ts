import { describe, expect, it } from "vitest";
import { describeApproval } from "./describe-approval.js";
import { toolKindOf } from "@asm/contract";

describe("describeApproval", () => {
  it("shows a shell call as its command", () => {
    expect(describeApproval("Bash", { toolName: "Bash", toolInput: { command: "rm -rf build", description: "Clean" } })).toEqual({
      tool: "Bash",
      kind: "shell",
      lines: ["$ rm -rf build", "(Clean)"],
    });
    expect(describeApproval("run_shell_command", { input: { command: "ls" } }).lines).toEqual(["$ ls"]);
    expect(describeApproval("exec_command", { input: { command: ["git", "status"] } }).lines).toEqual(["$ git status"]);
  });

  it("shows an edit as its path and a line count", () => {
    const view = describeApproval("Edit", { toolName: "Edit", toolInput: { file_path: "/r/a.ts", old_string: "a\nb", new_string: "a\nb\nc" } });
    expect(view).toEqual({ tool: "Edit", kind: "edit", lines: ["/r/a.ts  (-2 +3 lines)"] });
    expect(describeApproval("Write", { toolInput: { file_path: "/r/n.md", content: "x\ny" } }).lines).toEqual(["/r/n.md  (-0 +2 lines)"]);
    expect(describeApproval("MultiEdit", { toolInput: { file_path: "/r/m", edits: [{ old_string: "a", new_string: "b" }, { old_string: "c", new_string: "" }] } }).lines).toEqual([
      "/r/m  (-2 +1 lines)",
    ]);
  });

  it("falls back to one line of compact JSON, cut", () => {
    const long = "x".repeat(500);
    const [line] = describeApproval("Fetch", { input: { url: long } }).lines;
    expect(line?.startsWith('{"url":"xxx')).toBe(true);
    expect(line?.length).toBe(200);
    expect(describeApproval("Thing", {}).lines).toEqual([]);
  });
});

describe("toolKindOf", () => {
  it("maps native names across providers and keeps a reported kind", () => {
    expect(toolKindOf("Bash")).toBe("shell");
    expect(toolKindOf("run_shell_command")).toBe("shell");
    expect(toolKindOf("replace")).toBe("edit");
    expect(toolKindOf("mcp__github__create_issue")).toBe("mcp");
    expect(toolKindOf("Frobnicate")).toBe("other");
    expect(toolKindOf("Frobnicate", "web")).toBe("web");
  });
});
