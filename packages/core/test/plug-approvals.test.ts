import { AsmError, type AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import type { PipelinePlug } from "../src/index.js";
import { kinds, setup } from "./helpers.js";

const script = [{ emit: fakeEvents.toolUse("Bash", { command: "rm -rf build" }, "c1") }, { emit: fakeEvents.toolResult("c1", "ok") }, { emit: fakeEvents.result("done") }];

// Asks for approval of every Bash call; a denial fails the run.
const gate: PipelinePlug = {
  name: "gate",
  async handle(event, context) {
    if (event.kind !== "tool_use" || event.payload.toolName !== "Bash") return { action: "continue", event };
    if (!context.requestApproval) return { action: "fail", error: new AsmError("runtime", "no approvals here") };
    const answer = await context.requestApproval({ subject: "Bash", details: { input: event.payload.input } });
    if (answer.decision === "allow") return { action: "continue", event };
    return { action: "fail", error: new AsmError("guardrail_blocked", `denied: ${answer.reason ?? "by a person"}`) };
  },
};

async function drive(stream: AsyncIterable<AsmEvent>, onApproval: (event: Extract<AsmEvent, { kind: "approval_requested" }>) => Promise<void> | void): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (event.kind === "approval_requested") await onApproval(event);
  }
  return events;
}

describe("plug approvals", () => {
  it("go through the kernel's approval flow: approve lets the event through", async () => {
    const { asm } = setup(script);
    const events = await drive(asm.stream("fake", "hi", { pipeline: [gate] }), (event) => asm.approve(event.payload.approvalId, "allow"));
    expect(kinds(events)).toEqual(["run_started", "approval_requested", "approval_resolved", "tool_use", "tool_result", "result", "run_completed"]);
    const [requested, resolved] = [events[1], events[2]];
    expect(requested?.kind === "approval_requested" && requested.payload).toMatchObject({ subject: "Bash", details: { input: { command: "rm -rf build" } } });
    expect(resolved?.kind === "approval_resolved" && resolved.payload).toMatchObject({ decision: "allow" });
    expect(resolved?.correlationId).toBe(requested?.id);
    await expect(asm.approve(requested?.kind === "approval_requested" ? requested.payload.approvalId : "", "allow")).rejects.toMatchObject({ code: "not_found" });
  });

  it("a denial reaches the plug, which fails the run", async () => {
    const { asm } = setup(script);
    const events = await drive(asm.stream("fake", "hi", { pipeline: [gate] }), (event) => asm.approve(event.payload.approvalId, "deny"));
    expect(kinds(events)).toEqual(["run_started", "approval_requested", "approval_resolved", "error", "run_completed"]);
    expect(events[3]?.kind === "error" && events[3].payload.code).toBe("guardrail_blocked");
  });

  it("an unanswered approval is denied with reason timeout after the approval timeout", async () => {
    const { asm } = setup(script);
    const events = await drive(asm.stream("fake", "hi", { pipeline: [gate], approvalTimeoutMs: 50 }), () => undefined);
    const resolved = events.find((event) => event.kind === "approval_resolved");
    expect(resolved?.kind === "approval_resolved" && resolved.payload).toMatchObject({ decision: "deny", reason: "timeout" });
    expect(events.at(-1)?.kind).toBe("run_completed");
  });

  it("interrupting the run while a plug waits ends it as cancelled", async () => {
    const { asm } = setup(script);
    const stream = asm.stream("fake", "hi", { pipeline: [gate] });
    const events = await drive(stream, async () => {
      await asm.interrupt(stream.runId);
    });
    const errors = events.filter((event) => event.kind === "error");
    expect(errors.map((event) => event.kind === "error" && event.payload.code)).toEqual(["user_cancelled"]);
    expect(kinds(events).filter((kind) => kind === "run_completed")).toHaveLength(1);
  });
});

describe("a failing plug", () => {
  it("emits what it injects before the terminal error", async () => {
    const { asm } = setup(script);
    const block: PipelinePlug = {
      name: "block",
      handle: (event) =>
        event.kind === "tool_use"
          ? {
              action: "fail",
              error: new AsmError("guardrail_blocked", "no Bash"),
              inject: [{ kind: "guardrail_triggered", payload: { rule: "tool", action: "cancel", message: "no Bash" } }],
            }
          : { action: "continue", event },
    };
    const events = await drive(asm.stream("fake", "hi", { pipeline: [block] }), () => undefined);
    expect(kinds(events)).toEqual(["run_started", "guardrail_triggered", "error", "run_completed"]);
  });
});
