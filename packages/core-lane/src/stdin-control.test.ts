import { PassThrough } from "node:stream";
import { backendEvent, isAsmError, type ControlProtocol } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { StdinControl } from "./stdin-control.js";

const control: ControlProtocol = {
  approvalReply: (details, decision) => JSON.stringify({ answer: details.id, decision }),
  interruptLine: (requestId) => JSON.stringify({ interrupt: requestId }),
  userMessageLine: (text) => JSON.stringify({ user: text }),
  endInputOnOutcome: true,
};

function written(stream: PassThrough): string[] {
  return String(stream.read() ?? "").split("\n").filter((line) => line !== "");
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | false> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return isAsmError(error) && error.code;
  }
  return false;
}

describe("StdinControl", () => {
  it("writes the opening input, protocol lines and follow-ups, then refuses writes once closed", async () => {
    const stdin = new PassThrough();
    const input = new StdinControl(stdin, "tiny", control);
    input.open("hello\n", false);
    await input.sendInput("more");
    expect(await input.interrupt()).toBe(true);
    expect(input.interruptRequested).toBe(true);
    expect(written(stdin)).toEqual(["hello", '{"user":"more"}', '{"interrupt":"interrupt-1"}']);
    input.end();
    expect(await codeOf(input.writeLine("late"))).toBe("transport_error");
    // The interrupt falls back to a signal when the line cannot be written.
    expect(await input.interrupt()).toBe(false);
  });

  it("answers only the approvals the CLI waits on, with the details it asked with", async () => {
    const stdin = new PassThrough();
    const input = new StdinControl(stdin, "tiny", control);
    expect(input.observe(backendEvent("approval_requested", { approvalId: "a1", subject: "Bash", details: { id: "req-1" } }))).toBe(true);
    expect(input.awaitsApproval).toBe(true);
    expect(input.approvalReply("a1", "allow")).toBe('{"answer":"req-1","decision":"allow"}');
    expect(input.awaitsApproval).toBe(false);
    expect(await codeOf(() => input.approvalReply("a1", "deny"))).toBe("not_found");
    input.observe(backendEvent("approval_requested", { approvalId: "a2", subject: "Bash" }));
    expect(input.observe(backendEvent("approval_resolved", { approvalId: "a2", decision: "deny", reason: "cancelled" }))).toBe(true);
    expect(input.awaitsApproval).toBe(false);
  });

  it("without a control protocol: approvals are unsupported, input is raw, interrupts need a signal", async () => {
    const stdin = new PassThrough();
    const input = new StdinControl(stdin, "plain", undefined);
    expect(await codeOf(() => input.approvalReply("a1", "allow"))).toBe("unsupported");
    await input.sendInput("raw text");
    expect(written(stdin)).toEqual(["raw text"]);
    expect(await input.interrupt()).toBe(false);
  });
});
