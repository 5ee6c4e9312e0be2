import { AsmError, backendEvent, createEvent, type AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  costTracker,
  finalResult,
  finalText,
  policyGuard,
  rebuildRun,
  replaySession,
  textContent,
  textDeltas,
  type PipelinePlug,
} from "../src/index.js";
import { collect, kinds, rejectsWithCode, setup, until } from "./helpers.js";

const toolScript = [
  { emit: fakeEvents.toolUse("Bash", { command: "ls" }, "c1") },
  { emit: fakeEvents.toolResult("c1", "file") },
  { emit: fakeEvents.result("done", { usage: { inputTokens: 100, outputTokens: 50 } }) },
];

describe("pipeline plugs", () => {
  it("run beforeStart in plug order before the backend starts; a throw fails the run and nothing starts", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.result("done") }]);
    const seen: string[] = [];
    const first: PipelinePlug = { name: "first", beforeStart: () => void seen.push(`first:${backend.record.starts.length}`), handle: (event) => ({ action: "continue", event }) };
    const second: PipelinePlug = {
      name: "second",
      beforeStart: async (context) => {
        await Promise.resolve();
        seen.push(`second:${backend.record.starts.length}:${context.provider}`);
      },
      handle: (event) => ({ action: "continue", event }),
    };
    expect((await asm.query("fake", "go", { pipeline: [first, second] })).text).toBe("done");
    expect(seen).toEqual(["first:0", "second:0:fake"]);
    expect(backend.record.starts).toHaveLength(1);

    const broken: PipelinePlug = {
      name: "broken",
      beforeStart: () => {
        throw new Error("disk gone");
      },
      handle: (event) => ({ action: "continue", event }),
    };
    const events = await collect(asm.stream("fake", "go", { pipeline: [broken] }));
    const error = events.find((event) => event.kind === "error");
    expect(error?.payload).toMatchObject({ code: "runtime", message: expect.stringContaining("plug broken failed before the run started: disk gone") });
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(backend.record.starts).toHaveLength(1);
    await asm.dispose();
  });

  it("replace, inject (with causation), halt and drop", async () => {
    const replace: PipelinePlug = {
      name: "upper",
      handle: (event) => (event.kind === "result" ? { action: "continue", event: { ...event, payload: { ...event.payload, text: "DONE" } } } : { action: "continue", event }),
    };
    const inject: PipelinePlug = {
      name: "inject",
      handle: (event) =>
        event.kind === "tool_use" ? { action: "continue", event, inject: [backendEvent("warning", { code: "audit.tool_seen", message: "tool seen" })] } : { action: "continue", event },
    };
    const halt: PipelinePlug = { name: "halt", handle: (event) => (event.kind === "tool_result" ? { action: "halt", event } : { action: "continue", event }) };
    const neverAfterHalt: PipelinePlug = {
      name: "after-halt",
      handle: (event) => (event.kind === "tool_result" ? { action: "fail", error: new AsmError("runtime", "must not run") } : { action: "continue", event }),
    };
    const drop: PipelinePlug = { name: "drop", handle: (event) => (event.kind === "run_started" ? { action: "drop" } : { action: "continue", event }) };
    const { asm } = setup(toolScript);
    const events = await collect(asm.stream("fake", "hi", { pipeline: [drop, replace, inject, halt, neverAfterHalt] }));
    expect(kinds(events)).toEqual(["tool_use", "warning", "tool_result", "result", "run_completed"]);
    const toolUse = events[0]!;
    expect(events[1]?.causationId).toBe(toolUse.id);
    expect(events.find((e) => e.kind === "result")?.payload).toMatchObject({ text: "DONE" });
  });

  it("a failing plug ends the run with its error; a throwing plug with runtime", async () => {
    const fail: PipelinePlug = {
      name: "fail",
      handle: (event) => (event.kind === "tool_use" ? { action: "fail", error: new AsmError("guardrail_blocked", "nope") } : { action: "continue", event }),
    };
    const { asm, backend } = setup(toolScript);
    const events = await collect(asm.stream("fake", "hi", { pipeline: [fail] }));
    expect(kinds(events)).toEqual(["run_started", "error", "run_completed"]);
    expect(events[1]?.payload).toMatchObject({ code: "guardrail_blocked", domain: "guardrail" });
    expect(backend.record.closes).toHaveLength(1);

    const thrower: PipelinePlug = { name: "thrower", handle: () => { throw new Error("boom"); } };
    const error = await rejectsWithCode(asm.query("fake", "hi", { pipeline: [thrower] }), "runtime");
    expect(error.details.plug).toBe("thrower");
  });

  it("an observer sees every delivered event in order, and cannot alter, block or fail the run", async () => {
    const seen: string[] = [];
    const drop: PipelinePlug = { name: "drop", handle: (event) => (event.kind === "tool_result" ? { action: "drop" } : { action: "continue", event }) };
    const observer: PipelinePlug = {
      name: "observer",
      handle: (event) => ({ action: "continue", event }),
      observe: (event) => {
        seen.push(`${event.sequence}:${event.kind}`);
        if (event.kind === "tool_use") throw new Error("observer boom");
        if (event.kind === "result") return Promise.reject(new Error("observer rejects")) as unknown as void;
      },
    };
    const { asm } = setup(toolScript);
    const events = await collect(asm.stream("fake", "hi", { pipeline: [drop, observer] }));
    // The dropped event is not delivered, so it is not observed either; the rest arrive in order.
    expect(kinds(events)).toEqual(["run_started", "tool_use", "result", "run_completed"]);
    expect(seen).toEqual(events.map((event) => `${event.sequence}:${event.kind}`));
    expect(events.find((e) => e.kind === "result")?.payload).toMatchObject({ text: "done" });
  });

  it("rejects a malformed pipeline", async () => {
    const { asm } = setup(toolScript);
    // A plug that does nothing (no handle, observe or beforeStart), and one whose hook is not a function.
    await rejectsWithCode(asm.query("fake", "hi", { pipeline: [{ name: "x" }] }), "config_invalid");
    // @ts-expect-error — untyped callers can still pass a hook that is not a function.
    await rejectsWithCode(asm.query("fake", "hi", { pipeline: [{ name: "x", observe: "no" }] }), "config_invalid");
  });

  it("the allowed-tools guard blocks tools outside the list", async () => {
    const { asm } = setup(toolScript);
    const error = await rejectsWithCode(asm.query("fake", "hi", { allowedTools: ["Read"] }), "guardrail_blocked");
    expect(error.message).toContain("Tool blocked by allowlist: Bash");
    const allowed = await asm.query("fake", "hi", { allowedTools: ["Bash"] });
    expect(allowed.text).toBe("done");
  });

  it("the policy guard blocks disallowed tools and output over budget", async () => {
    const { asm } = setup(toolScript);
    await rejectsWithCode(asm.query("fake", "hi", { pipeline: [policyGuard({ disallowTools: ["Bash"] })] }), "guardrail_blocked");
    const budget = await rejectsWithCode(asm.query("fake", "hi", { pipeline: [policyGuard({ maxOutputTokens: 10 })] }), "guardrail_blocked");
    expect(budget.details).toMatchObject({ outputTokens: 50, maxOutputTokens: 10 });
    expect((await asm.query("fake", "hi", { pipeline: [policyGuard({ maxOutputTokens: 100 })] })).text).toBe("done");
  });

  it("the cost tracker prices usage the provider left unpriced", async () => {
    const pricing = { inputPerToken: 1e-6, outputPerToken: 2e-6 };
    const { asm } = setup(toolScript);
    const events = await collect(asm.stream("fake", "hi", { pipeline: [costTracker(pricing)] }));
    const cost = events.find((e) => e.kind === "cost_update");
    expect(cost?.payload).toMatchObject({ inputTokens: 100, outputTokens: 50, mode: "cumulative" });
    expect((cost?.payload as { costUsd: number }).costUsd).toBeCloseTo(200e-6, 12);
    expect(cost?.causationId).toBe(events.find((e) => e.kind === "result")?.id);
    expect(finalResult(events).costUsd).toBeCloseTo(200e-6);

    const nullCost = setup([{ emit: fakeEvents.cost(10, 10, null) }, { emit: fakeEvents.result("x") }]);
    const priced = await nullCost.asm.query("fake", "hi", { pipeline: [costTracker(pricing)] });
    expect(priced.costUsd).toBeCloseTo(30e-6);
  });
});

describe("checkpoint, resume, intervene", () => {
  it("captures the provider session id and continues it on the next prompt", async () => {
    const { asm, backend } = setup((config) => [{ emit: fakeEvents.started(config.continuation?.strategy === "exact" ? config.continuation.providerSessionId : "ps-new") }, { emit: fakeEvents.result("x") }]);
    const session = await asm.startSession({ provider: "fake" });
    expect(session.checkpoint()).toBeNull();
    await session.query("first");
    expect(session.checkpoint()).toMatchObject({ providerSessionId: "ps-new", provider: "fake", sessionId: session.id });
    await session.query("second");
    expect(backend.record.starts[0]?.continuation).toBeUndefined();
    expect(backend.record.starts[1]?.continuation).toEqual({ strategy: "exact", providerSessionId: "ps-new" });
  });

  it("autoResume: false keeps each prompt fresh", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.started("ps-1") }, { emit: fakeEvents.result("x") }]);
    const session = await asm.startSession({ provider: "fake", autoResume: false });
    await session.query("a");
    await session.query("b");
    expect(backend.record.starts[1]?.continuation).toBeUndefined();
  });

  it("resumeRun targets the checkpoint, latest or an explicit id, through the stream path", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.started("ps-9") }, { emit: fakeEvents.result("x") }]);
    const session = await asm.startSession({ provider: "fake", permissionMode: "bypass", autoResume: false });
    expect(() => session.resumeRun("x")).toThrow(/no checkpoint with a resumable provider session id/);
    await session.query("first");
    await collect(asm.resumeRun(session, "again"));
    await collect(session.resumeRun("latest", { target: "latest" }));
    await collect(session.resumeRun("explicit", { target: "ps-explicit" }));
    expect(backend.record.starts.slice(1).map((s) => s.continuation)).toEqual([
      { strategy: "exact", providerSessionId: "ps-9" },
      { strategy: "latest" },
      { strategy: "exact", providerSessionId: "ps-explicit" },
    ]);
    // The resumed runs carry the session's execution config like any other run.
    expect(backend.record.starts.every((s) => s.nativePermissionMode === "yolo")).toBe(true);
  });

  it("intervene interrupts the active run and runs the new prompt after it", async () => {
    const { asm, backend } = setup((config) => (config.prompt === "slow" ? [{ emit: fakeEvents.started("ps-i") }, { hang: true }] : [{ emit: fakeEvents.result("fixed") }]));
    const session = await asm.startSession({ provider: "fake" });
    const slow = session.stream("slow");
    const slowEvents = collect(slow);
    await until(() => session.checkpoint() !== null);
    const replacement = asm.intervene(slow.runId, "fix it");
    const events = await collect(replacement);
    expect((await slowEvents).at(-1)?.payload).toMatchObject({ status: "interrupted" });
    expect(finalResult(events).text).toBe("fixed");
    expect(backend.record.starts[1]?.continuation).toEqual({ strategy: "exact", providerSessionId: "ps-i" });
    expect(() => asm.intervene("nope", "x")).toThrow(AsmError);
  });

  it("accumulates session cost across runs and keeps unknown cost null", async () => {
    const { asm } = setup((config) => [{ emit: fakeEvents.cost(10, 5, config.prompt === "priced" ? 0.5 : null) }, { emit: fakeEvents.result("x") }]);
    const session = await asm.startSession({ provider: "fake" });
    await session.query("unpriced");
    expect(asm.cost(session)).toMatchObject({ inputTokens: 10, outputTokens: 5, costUsd: null, costComplete: false });
    await session.query("priced");
    await until(() => asm.cost(session).inputTokens === 20);
    expect(asm.cost(session)).toMatchObject({ inputTokens: 20, outputTokens: 10, costUsd: 0.5, costComplete: false });
  });
});

describe("store and history", () => {
  it("appends every event once and rebuilds a run from the store", async () => {
    const store = new MemoryStore();
    const { asm } = setup(toolScript, {}, { store });
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const events = await collect(stream);
    const stored = await store.list(session.id);
    expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
    await store.append(events[0]!);
    expect(await store.list(session.id)).toHaveLength(events.length);
    const rebuilt = await rebuildRun(store, session.id, stream.runId);
    expect(rebuilt.result).toMatchObject({ text: "done", status: "completed", runId: stream.runId });
    expect(await replaySession(store, session.id, 0, (n) => n + 1)).toBe(events.length);
    await rejectsWithCode(rebuildRun(store, session.id, "missing"), "not_found");
    await store.reset(session.id);
    expect(await store.list(session.id)).toEqual([]);
    await store.append(events[0]!);
    expect(await store.list(session.id)).toHaveLength(1);
  });
});

describe("stream helpers and cost helpers", () => {
  const make = (kind: AsmEvent["kind"], payload: unknown, runId = "r1"): AsmEvent =>
    createEvent({ kind, payload: payload as never, runId, sessionId: "s1", provider: "fake" }) as AsmEvent;

  it("textDeltas, textContent and finalText do not double count streamed messages", () => {
    const streamed = [make("assistant_delta", { content: "He" }), make("assistant_delta", { content: "llo" }), make("assistant_message", { content: [{ type: "text", text: "Hello" }] })];
    expect(textDeltas(streamed)).toEqual(["He", "llo"]);
    expect(finalText(streamed)).toBe("Hello");
    const unstreamed = [make("assistant_message", { content: [{ type: "text", text: "A" }, { type: "tool_use", id: "1", name: "x", input: {} }] })];
    expect(textContent(unstreamed)).toEqual(["A"]);
  });

  it("finalResult prefers result text and throws on no events", () => {
    const events = [make("assistant_delta", { content: "draft" }), make("result", { text: "final" })];
    expect(finalResult(events).text).toBe("final");
    expect(() => finalResult([])).toThrow(/no events/);
  });
});

describe("cumulative usage across a resumed thread", () => {
  it("makes each run's usage its own and never double counts session totals", async () => {
    let turn = 0;
    const { asm } = setup(() => {
      turn++;
      // The provider reports thread totals: 10/5 after the first turn, 20/10 after the second.
      return [{ emit: fakeEvents.started("thread-1") }, { emit: fakeEvents.cost(10 * turn, 5 * turn, 0.1 * turn, "cumulative") }, { emit: fakeEvents.result(`t${turn}`) }];
    });
    const session = await asm.startSession({ provider: "fake" });
    const first = await session.query("one");
    const second = await session.query("two");
    expect(first.usage).toMatchObject({ inputTokens: 10, outputTokens: 5 });
    expect(second.usage).toMatchObject({ inputTokens: 10, outputTokens: 5 });
    expect(second.costUsd).toBeCloseTo(0.1);
    await until(() => asm.cost(session).inputTokens === 20);
    expect(asm.cost(session)).toMatchObject({ inputTokens: 20, outputTokens: 10 });
    expect(asm.cost(session).costUsd).toBeCloseTo(0.2);
  });
});
