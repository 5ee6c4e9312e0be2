/* eslint-disable no-control-regex -- these tests match the terminal escape sequences the sink writes. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createEvent, type AsmEvent, type EventKind, type PayloadInputOf } from "@asm/contract";
import { StatusLineSink } from "./status-line.js";

function event<K extends EventKind>(kind: K, payload: PayloadInputOf<K>): AsmEvent {
  return createEvent({ kind, payload, runId: "r", sessionId: "s", provider: "claude" }) as AsmEvent;
}

function terminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 60;
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return { stream, text: () => text };
}

describe("StatusLineSink", () => {
  it("shows elapsed time, tokens, cost and the running tool", async () => {
    let now = 1_000;
    const { stream } = terminal();
    const sink = new StatusLineSink(stream, { label: "claude", color: false, now: () => now });
    await sink.writeEvent(event("tool_use", { toolName: "Bash", toolCallId: "t1", input: {} }), "t+Bash {}\n");
    now += 2_500;
    expect(sink.statusText()).toMatch(/^\S claude · 2\.5s · turn 1 · tk 0\/0 · \$\? · running Bash$/);
    await sink.writeEvent(event("tool_result", { toolCallId: "t1", content: "ok" }), "t-t1 ok\n");
    await sink.writeEvent(event("cost_update", { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }), "");
    await sink.writeEvent(event("cost_update", { inputTokens: 3, outputTokens: 2, costUsd: 0.0005 }), "");
    expect(sink.statusText()).toMatch(/tk 13\/7 · \$0\.0015$/);
    await sink.writeEvent(event("cost_update", { inputTokens: 100, outputTokens: 50, costUsd: null, mode: "cumulative" }), "");
    expect(sink.statusText()).toMatch(/tk 100\/50 · \$0\.0015$/);
    await sink.writeEvent(event("approval_requested", { approvalId: "a1", subject: "Edit" }), "a? a1 Edit\n");
    expect(sink.statusText()).toMatch(/waiting for approval$/);
    await sink.writeEvent(event("approval_resolved", { approvalId: "a1", decision: "allow" }), "");
    await sink.writeEvent(event("result", { usage: { inputTokens: 120, outputTokens: 60 }, costUsd: 0.002 }), "r-:done\n");
    // Reported totals win over the result's, as in the kernel's reducer.
    expect(sink.statusText()).toMatch(/tk 100\/50 · \$0\.0015$/);
    sink.close();
    const fresh = new StatusLineSink(stream, { label: "claude", color: false });
    await fresh.writeEvent(event("result", { usage: { inputTokens: 120, outputTokens: 60 }, costUsd: 0.002 }), "r-:done\n");
    expect(fresh.statusText()).toMatch(/tk 120\/60 · \$0\.002$/);
    fresh.close();
  });

  it("counts a model turn at the start and after each tool result", async () => {
    const { stream } = terminal();
    const sink = new StatusLineSink(stream, { label: "claude", color: false });
    await sink.writeEvent(event("assistant_delta", { content: "Let me look" }), "");
    await sink.writeEvent(event("tool_use", { toolName: "Read", toolCallId: "t1", input: {} }), "");
    await sink.writeEvent(event("tool_use", { toolName: "Read", toolCallId: "t2", input: {} }), "");
    expect(sink.stats.turns).toBe(1);
    await sink.writeEvent(event("tool_result", { toolCallId: "t1", content: "a" }), "");
    await sink.writeEvent(event("tool_result", { toolCallId: "t2", content: "b" }), "");
    await sink.writeEvent(event("assistant_delta", { content: "Done" }), "");
    expect(sink.stats.turns).toBe(2);
    expect(sink.statusText()).toMatch(/ · turn 2 · tk /);
    sink.close();
  });

  it("erases the status line before writing and draws it again after", async () => {
    const term = terminal();
    const sink = new StatusLineSink(term.stream, { label: "claude", color: false });
    await sink.write("first\n");
    await sink.write("second\n");
    sink.close();
    const text = term.text();
    // first, status, erase, second, status, erase.
    expect(text).toMatch(/^first\n\S claude · [^\n]*\r\u001b\[2Ksecond\n\S claude · [^\n]*\r\u001b\[2K$/);
  });

  it("puts the status line below open streamed text and returns the cursor to the end of the text", async () => {
    const term = terminal();
    const sink = new StatusLineSink(term.stream, { label: "claude", color: false });
    await sink.write(">> Hello");
    // Newline, clear, status, cursor up one row, to column 9 (after ">> Hello").
    expect(term.text()).toMatch(/^>> Hello\n\r\u001b\[2K\S claude · [^\n]*\u001b\[1A\u001b\[9G$/);
    await sink.write(" world");
    expect(term.text()).toContain("\u001b7\u001b[1B\r\u001b[2K\u001b8 world");
    expect(term.text()).toMatch(/\u001b\[15G$/);
    sink.close();
    expect(term.text().endsWith("\u001b7\u001b[1B\r\u001b[2K\u001b8\n")).toBe(true);
  });

  it("cuts the status line to the terminal width and hides it while paused", async () => {
    const term = terminal();
    term.stream.columns = 20;
    const sink = new StatusLineSink(term.stream, { label: "a-very-long-provider-label", color: false });
    await sink.write("x\n");
    const status = term.text().slice("x\n".length);
    expect(status.length).toBeLessThanOrEqual(19);
    expect(status.endsWith("…")).toBe(true);
    sink.pause();
    const before = term.text();
    await sink.write("y\n");
    expect(term.text().slice(before.length)).toBe("y\n");
    sink.resume();
    expect(term.text().length).toBeGreaterThan(before.length + 2);
    sink.close();
  });

  it("drops the renderer's line break for a line it already closed before a prompt", async () => {
    const term = terminal();
    const sink = new StatusLineSink(term.stream, { label: "c", color: false });
    await sink.write(">> partial");
    sink.pause();
    const before = term.text();
    await sink.write("\n! user_cancelled: stopped\n");
    expect(term.text().slice(before.length)).toBe("! user_cancelled: stopped\n");
    sink.close();
  });
});
