import { isAsmError, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeEvents, fakeProvider, type FakeStep } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createPolicy, type PolicyOptions } from "./index.js";

let asm: Asm | undefined;
afterEach(async () => {
  await asm?.dispose();
  asm = undefined;
});

function runtime(script: () => FakeStep[]) {
  const provider = fakeProvider(() => script());
  asm = createAsm({ providers: [provider] });
  return { asm, provider };
}

async function drive(stream: AsyncIterable<AsmEvent>, onApproval?: (approvalId: string) => Promise<void>): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (event.kind === "approval_requested" && onApproval) await onApproval(event.payload.approvalId);
  }
  return events;
}

const kinds = (events: AsmEvent[]) => events.map((event) => event.kind);
const errorCode = (events: AsmEvent[]) => events.find((event) => event.kind === "error")?.payload;
const triggers = (events: AsmEvent[]) => events.flatMap((event) => (event.kind === "guardrail_triggered" ? [event.payload] : []));

const toolRun = (): FakeStep[] => [{ emit: fakeEvents.toolUse("Bash", { command: "ls" }, "c1") }, { emit: fakeEvents.toolResult("c1", "a") }, { emit: fakeEvents.result("done") }];
// Streams usage as it goes, the way a CLI reports tokens turn by turn.
const streamingUsage = (turns: number, outputPerTurn: number, costPerTurn: number | null): (() => FakeStep[]) => () => [
  ...Array.from({ length: turns }, (_, index) => [{ emit: fakeEvents.message(`turn ${index}`) }, { emit: fakeEvents.cost(10, outputPerTurn, costPerTurn) }]).flat(),
  { emit: fakeEvents.result("done") },
];

describe("createPolicy options", () => {
  it.each<[PolicyOptions, string]>([
    [{ denyTools: "Bash" as never }, "denyTools"],
    [{ denyTools: [""] }, "denyTools[0]"],
    [{ allowTools: [3 as never] }, "allowTools[0]"],
    [{ maxOutputTokens: -1 }, "maxOutputTokens"],
    [{ maxOutputTokens: 1.5 }, "maxOutputTokens"],
    [{ maxCostUsd: Number.NaN }, "maxCostUsd"],
    [{ maxTurns: -2 }, "maxTurns"],
    [{ maxWallTimeMs: "1s" as never }, "maxWallTimeMs"],
    [{ scope: "forever" as never }, "scope"],
    [{ action: "block" as never }, "action"],
    [{ toolAction: "deny" as never }, "toolAction"],
    [{ budgetAction: "stop" as never }, "budgetAction"],
    [{ unknownCost: "zero" as never }, "unknownCost"],
    [{ clock: 1 as never }, "clock"],
    [{ maxCost: 1 } as never, "maxCost"],
  ])("refuses %j with config_invalid naming %s", (options, key) => {
    try {
      createPolicy(options);
      throw new Error("accepted");
    } catch (error) {
      expect(isAsmError(error) && [error.code, error.details.key]).toEqual(["config_invalid", key]);
    }
  });
});

describe("tool rules", () => {
  it("cancel: a denied tool ends the run with guardrail_blocked after a guardrail_triggered", async () => {
    const { asm } = runtime(toolRun);
    const events = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ denyTools: ["Bash"] }).plug] }));
    expect(kinds(events)).toEqual(["run_started", "guardrail_triggered", "error", "run_completed"]);
    expect(triggers(events)[0]).toMatchObject({ rule: "tool_denied", action: "cancel", metadata: { toolName: "Bash" } });
    expect(errorCode(events)).toMatchObject({ code: "guardrail_blocked", details: { rule: "tool_denied" } });
  });

  it("warn: the run goes on, with the trigger after the tool call", async () => {
    const { asm } = runtime(toolRun);
    const events = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ allowTools: ["Read"], toolAction: "warn" }).plug] }));
    expect(kinds(events)).toEqual(["run_started", "tool_use", "guardrail_triggered", "tool_result", "result", "run_completed"]);
    expect(triggers(events)[0]).toMatchObject({ rule: "tool_not_allowed", action: "warn" });
  });

  it("request_approval: allow lets the call through, deny blocks the run", async () => {
    const { asm } = runtime(toolRun);
    const policy = createPolicy({ denyTools: ["Bash"], action: "request_approval" });
    const allowed = await drive(asm.stream("fake", "hi", { pipeline: [policy.plug] }), (id) => asm.approve(id, "allow"));
    expect(kinds(allowed)).toEqual(["run_started", "approval_requested", "approval_resolved", "tool_use", "guardrail_triggered", "tool_result", "result", "run_completed"]);
    expect(allowed.find((event) => event.kind === "approval_requested")?.payload).toMatchObject({ subject: "Bash" });
    const denied = await drive(asm.stream("fake", "hi", { pipeline: [policy.plug] }), (id) => asm.approve(id, "deny"));
    expect(kinds(denied)).toEqual(["run_started", "approval_requested", "approval_resolved", "guardrail_triggered", "error", "run_completed"]);
    expect(errorCode(denied)).toMatchObject({ code: "guardrail_blocked" });
  });

  it("request_approval without an approval flow fails closed", async () => {
    const policy = createPolicy({ denyTools: ["Bash"], action: "request_approval" });
    const event = { kind: "tool_use", runId: "r", sessionId: "s", payload: { toolName: "Bash", toolCallId: "c", input: {} } } as unknown as AsmEvent;
    const verdict = await policy.plug.handle?.(event, { runId: "r", sessionId: "s", provider: "fake", state: {} });
    expect(verdict?.action).toBe("fail");
  });
});

describe("budgets", () => {
  it("output tokens streamed mid-run over the budget cancel the run before its result", async () => {
    const { asm } = runtime(streamingUsage(5, 100, 0.01));
    const events = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ maxOutputTokens: 250 }).plug] }));
    // The third update crossed the budget: the run ends there, the rest never streams.
    expect(events.filter((event) => event.kind === "cost_update")).toHaveLength(2);
    expect(triggers(events)[0]).toMatchObject({ rule: "output_tokens", metadata: { used: 300, limit: 250 } });
    expect(kinds(events).slice(-2)).toEqual(["error", "run_completed"]);
    expect(events.some((event) => event.kind === "result")).toBe(false);
  });

  it("a cost budget spans the runs of a session", async () => {
    const { asm } = runtime(streamingUsage(1, 10, 0.6));
    const policy = createPolicy({ maxCostUsd: 1 });
    const session = await asm.startSession({ provider: "fake", pipeline: [policy.plug] });
    const first = await drive(session.stream("one"));
    expect(errorCode(first)).toBeUndefined();
    expect(policy.usage(session.id)).toMatchObject({ costUsd: 0.6, runs: 1 });
    const second = await drive(session.stream("two"));
    expect(errorCode(second)).toMatchObject({ code: "guardrail_blocked", details: { rule: "cost_usd", used: 1.2, limit: 1, scope: "session" } });
    // Run-scoped budgets start over with each run.
    const perRun = createPolicy({ maxCostUsd: 1, scope: "run" });
    const other = await asm.startSession({ provider: "fake", pipeline: [perRun.plug] });
    for (const prompt of ["one", "two"]) expect(errorCode(await drive(other.stream(prompt)))).toBeUndefined();
  });

  it("unknown cost is never 0: it fails closed by default, or warns once when told to", async () => {
    const { asm } = runtime(streamingUsage(2, 10, null));
    const closed = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ maxCostUsd: 5 }).plug] }));
    expect(errorCode(closed)).toMatchObject({ code: "guardrail_blocked", details: { rule: "cost_unknown" } });
    const warned = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ maxCostUsd: 5, unknownCost: "warn" }).plug] }));
    expect(triggers(warned).map((trigger) => [trigger.rule, trigger.action])).toEqual([["cost_unknown", "warn"]]);
    expect(warned.some((event) => event.kind === "result")).toBe(true);
  });

  it("turn and wall-time budgets; a budget warns once per run", async () => {
    const { asm } = runtime(streamingUsage(4, 1, 0));
    const turns = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ maxTurns: 2, budgetAction: "warn" }).plug] }));
    expect(triggers(turns).map((trigger) => trigger.rule)).toEqual(["turns"]);
    expect(turns.some((event) => event.kind === "result")).toBe(true);
    let now = 0;
    const clock = () => (now += 400);
    const wall = await drive(asm.stream("fake", "hi", { pipeline: [createPolicy({ maxWallTimeMs: 1000, clock }).plug] }));
    expect(errorCode(wall)).toMatchObject({ code: "guardrail_blocked", details: { rule: "wall_time" } });
  });
});
