import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createEvent, type ApprovalDecision, type AsmEvent } from "@asm/contract";
import { approvalSink } from "./approval-prompt.js";

const request = createEvent({
  kind: "approval_requested",
  payload: { approvalId: "ap-1", subject: "Bash", details: { input: { command: "rm -rf build" } } },
  runId: "r",
  sessionId: "s",
  provider: "claude",
}) as AsmEvent;

function setup(answer: string | null, extra: { typeAhead?: string; allowTools?: string[] } = {}) {
  const decisions: Array<[string, ApprovalDecision]> = [];
  const output = new PassThrough();
  const stderr = new PassThrough();
  let shown = "";
  let notices = "";
  output.on("data", (chunk: Buffer) => (shown += chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => (notices += chunk.toString("utf8")));
  const input = new PassThrough();
  let interrupted = 0;
  const calls: string[] = [];
  const sink = approvalSink({
    approve: (id, decision) => {
      decisions.push([id, decision]);
      return Promise.resolve();
    },
    terminal: answer === null ? null : { input, output },
    stderr,
    allowTools: extra.allowTools ?? [],
    typeAheadMs: 40,
    pause: () => void calls.push("pause"),
    resume: () => void calls.push("resume"),
    onInterrupt: () => void (interrupted += 1),
  });
  if (extra.typeAhead !== undefined) input.write(extra.typeAhead);
  if (answer !== null) setTimeout(() => input.write(answer), 120);
  return { sink, decisions, shown: () => shown, notices: () => notices, interrupted: () => interrupted, calls };
}

describe("approvalSink", () => {
  it("asks on the terminal and allows on y", async () => {
    const t = setup("y\n");
    await t.sink.writeEvent!(request, "");
    expect(t.shown()).toContain("? Bash asks for approval\n    $ rm -rf build\n  Allow? [y/N] ");
    expect(t.decisions).toEqual([["ap-1", "allow"]]);
    expect(t.calls).toEqual(["pause", "resume"]);
  });

  it("throws away keys typed before the question was drawn", async () => {
    const early = setup("\n", { typeAhead: "y\n" });
    await early.sink.writeEvent!(request, "");
    expect(early.decisions).toEqual([["ap-1", "deny"]]);
    const late = setup("y\n", { typeAhead: "\n" });
    await late.sink.writeEvent!(request, "");
    expect(late.decisions).toEqual([["ap-1", "allow"]]);
  });

  it("allows tools named by --allow-tool, natively or by kind, without asking", async () => {
    for (const name of ["Bash", "bash", "shell"]) {
      const t = setup(null, { allowTools: [name] });
      await t.sink.writeEvent!(request, "");
      expect(t.decisions).toEqual([["ap-1", "allow"]]);
      expect(t.notices()).toBe("");
    }
    const other = setup(null, { allowTools: ["Edit", "read"] });
    await other.sink.writeEvent!(request, "");
    expect(other.decisions).toEqual([["ap-1", "deny"]]);
  });

  it("denies on anything but yes", async () => {
    const t = setup("n\n");
    await t.sink.writeEvent!(request, "");
    expect(t.decisions).toEqual([["ap-1", "deny"]]);
  });

  it("denies at once without a terminal and says so", async () => {
    const t = setup(null);
    await t.sink.writeEvent!(request, "");
    expect(t.decisions).toEqual([["ap-1", "deny"]]);
    expect(t.notices()).toContain("approval ap-1 (Bash) denied: no terminal to ask on; use --allow-tool Bash");
  });

  it("ignores other events", async () => {
    const t = setup(null);
    const other = createEvent({ kind: "assistant_delta", payload: { content: "x" }, runId: "r", sessionId: "s", provider: "claude" }) as AsmEvent;
    await t.sink.writeEvent!(other, ">> x");
    expect(t.decisions).toEqual([]);
    expect(t.interrupted()).toBe(0);
  });
});
