// Hostile: CLIs in concurrent sessions that use the same request id for their approvals. Each
// answer must reach the run that asked, and every approval must stay answerable.
import type { AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { collect, setup, until } from "./helpers.js";

const SAME = "req-same";

describe("hostile: colliding CLI request ids", () => {
  it("across concurrent sessions, each answer reaches its own run and none is lost", async () => {
    const sessionsCount = 8;
    const { asm, backend } = setup((config) => [
      {
        approval: { approvalId: SAME, subject: `Bash in ${config.prompt}` },
        onAllow: [{ emit: fakeEvents.result(`allowed ${config.prompt}`) }],
        onDeny: [{ emit: fakeEvents.result(`denied ${config.prompt}`) }],
      },
    ]);
    const sessions = await Promise.all(Array.from({ length: sessionsCount }, () => asm.startSession({ provider: "fake" })));
    const requested: AsmEvent[] = [];
    const streams = sessions.map((session, index) => {
      const stream = session.stream(`s${index}`);
      return collect({
        async *[Symbol.asyncIterator]() {
          for await (const event of stream) {
            if (event.kind === "approval_requested") requested.push(event);
            yield event;
          }
        },
      });
    });
    await until(() => requested.length === sessionsCount);
    const ids = requested.map((event) => (event.payload as { approvalId: string }).approvalId);
    expect(new Set(ids).size).toBe(sessionsCount);
    expect(requested.every((event) => (event.payload as { providerApprovalId?: string }).providerApprovalId === SAME)).toBe(true);
    // Answer in reverse order, alternating decisions.
    for (const [index, event] of [...requested.entries()].reverse()) {
      await asm.approve((event.payload as { approvalId: string }).approvalId, index % 2 === 0 ? "allow" : "deny");
    }
    const results = await Promise.all(streams);
    for (const [index, events] of results.entries()) {
      const prompt = backend.record.starts.find((start) => start.runId === events[0]?.runId)?.prompt;
      const requestIndex = requested.findIndex((event) => event.runId === events[0]?.runId);
      const result = events.find((event) => event.kind === "result")?.payload as { text?: string } | undefined;
      expect(result?.text, `session ${index}`).toBe(`${requestIndex % 2 === 0 ? "allowed" : "denied"} ${prompt}`);
    }
    // The backend was answered under the CLI's own id, once per run.
    expect(backend.record.approvals).toHaveLength(sessionsCount);
    expect(new Set(backend.record.approvals.map((answer) => answer.runId)).size).toBe(sessionsCount);
    expect(backend.record.approvals.every((answer) => answer.approvalId === SAME)).toBe(true);
  });

  it("an answered id cannot be answered again, and the other session's stays answerable", async () => {
    const { asm } = setup([{ approval: { approvalId: SAME, subject: "Bash" }, onAllow: [{ emit: fakeEvents.result("ok") }] }]);
    const [a, b] = await Promise.all([asm.startSession({ provider: "fake" }), asm.startSession({ provider: "fake" })]);
    const seen: AsmEvent[] = [];
    const watch = (stream: AsyncIterable<AsmEvent>) =>
      collect({
        async *[Symbol.asyncIterator]() {
          for await (const event of stream) {
            if (event.kind === "approval_requested") seen.push(event);
            yield event;
          }
        },
      });
    const first = watch(a.stream("a"));
    const second = watch(b.stream("b"));
    await until(() => seen.length === 2);
    const [idA, idB] = seen.map((event) => (event.payload as { approvalId: string }).approvalId);
    await asm.approve(idA!, "allow");
    await expect(asm.approve(idA!, "allow")).rejects.toMatchObject({ code: "not_found" });
    await asm.approve(idB!, "allow");
    expect((await first).at(-1)?.payload).toMatchObject({ status: "completed" });
    expect((await second).at(-1)?.payload).toMatchObject({ status: "completed" });
  });
});
