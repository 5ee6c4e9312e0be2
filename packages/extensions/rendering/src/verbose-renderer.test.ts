import { describe, expect, it } from "vitest";
import { event } from "./__fixtures__/events.js";
import { verboseRenderer } from "./verbose-renderer.js";

describe("verboseRenderer", () => {
  it("prints one [kind] line with the sequence and every payload field", () => {
    const renderer = verboseRenderer({ color: false });
    const e = event("tool_use", { toolName: "Bash", toolCallId: "toolu_1", input: { command: "echo hi" } }, { providerSessionId: "ps-1" });
    expect(renderer.render(e)).toBe(`[tool_use] seq=${e.sequence} toolName=Bash toolCallId=toolu_1 input={"command":"echo hi"} providerSessionId=ps-1\n`);
  });

  it("quotes strings with spaces and cuts long values", () => {
    const renderer = verboseRenderer({ color: false, previewChars: 10 });
    const e = event("error", { code: "auth_error", message: "Invalid API key provided" });
    expect(renderer.render(e)).toBe(`[error] seq=${e.sequence} message="Invalid A…" code=auth_error severity=error\n`);
  });

  it("ends with the --- N events, M tools --- footer", () => {
    expect(verboseRenderer({ color: false }).finish({ eventCount: 7, toolCount: 2 })).toBe("--- 7 events, 2 tools ---\n");
    expect(verboseRenderer({ color: false, footer: false }).finish({ eventCount: 7, toolCount: 2 })).toBe("");
  });

  it("colours failures red and leaves out omitted kinds", () => {
    const renderer = verboseRenderer({ omit: ["stderr"] });
    expect(renderer.render(event("run_completed", { status: "failed" })).startsWith("\u001b[31m[run_completed]\u001b[39m ")).toBe(true);
    expect(renderer.render(event("stderr", { content: "x" }))).toBe("");
  });
});
