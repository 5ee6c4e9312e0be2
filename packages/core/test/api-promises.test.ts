import { AsmError, type AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { createAsm, pass, type PipelinePlug } from "../src/index.js";
import { fakeProvider } from "@asm/testkit";
import { collect, rejectsWithCode, setup, until } from "./helpers.js";

const slowThenFast = (config: { prompt: string }) =>
  config.prompt === "slow" ? [{ emit: fakeEvents.started("ps-1") }, { hang: true as const }] : [{ emit: fakeEvents.result("done") }];

describe("the signal run option", () => {
  it("an already-aborted signal starts nothing and rejects with user_cancelled", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.result("x") }]);
    const controller = new AbortController();
    controller.abort();
    const error = await rejectsWithCode(asm.query("fake", "hi", { signal: controller.signal }), "user_cancelled");
    expect(error.details).toMatchObject({ key: "signal" });
    expect(backend.record.starts).toHaveLength(0);
  });

  it("an abort mid-run interrupts the run", async () => {
    const { asm, backend } = setup(slowThenFast);
    const controller = new AbortController();
    const stream = asm.stream("fake", "slow", { signal: controller.signal });
    const events = collect(stream);
    await until(() => backend.record.starts.length === 1);
    controller.abort();
    const all = await events;
    expect(all.at(-1)?.payload).toMatchObject({ status: "interrupted" });
  });

  it("an abort of a queued run removes it from the queue", async () => {
    const { asm } = setup(slowThenFast);
    const session = await asm.startSession({ provider: "fake" });
    const first = collect(session.stream("slow"));
    const controller = new AbortController();
    const queued = session.stream("fast", { signal: controller.signal });
    const queuedEvents = collect(queued);
    await until(() => session.info().queuedRuns.length === 1);
    controller.abort();
    expect((await queuedEvents).at(-1)?.payload).toMatchObject({ status: "interrupted" });
    await session.stop();
    await first;
  });

  it("a signal that is not an AbortSignal is config_invalid", async () => {
    const { asm } = setup([{ emit: fakeEvents.result("x") }]);
    const error = await rejectsWithCode(asm.query("fake", "hi", { signal: "abort" as unknown as AbortSignal }), "config_invalid");
    expect(error.details).toMatchObject({ key: "signal" });
  });
});

describe("timeouts beyond a Node timer's range", () => {
  it.each([
    ["wallTimeoutMs", 2_147_483_648],
    ["idleTimeoutMs", 4_294_967_301],
    ["streamTimeoutMs", 2 ** 31],
    ["queueTimeoutMs", 2 ** 40],
    ["transportCallTimeoutMs", 2 ** 31],
    ["approvalTimeoutMs", 2 ** 31],
  ])("%s = %d is config_invalid naming the field", async (key, value) => {
    const { asm, backend } = setup([{ emit: fakeEvents.result("x") }]);
    const error = await rejectsWithCode(asm.query("fake", "hi", { [key]: value }), "config_invalid");
    expect(error.message).toContain(key);
    expect(backend.record.starts).toHaveLength(0);
  });

  it("the largest timer delay is accepted, and so is Infinity where it means no timeout", async () => {
    const { asm } = setup([{ emit: fakeEvents.result("x") }]);
    await expect(asm.query("fake", "hi", { wallTimeoutMs: 2 ** 31 - 1, streamTimeoutMs: Number.POSITIVE_INFINITY })).resolves.toMatchObject({ text: "x" });
  });

  it("a runtime default beyond the range fails createAsm", () => {
    expect(() => createAsm({ providers: [fakeProvider([])], config: { approvalTimeoutMs: 2 ** 31 } })).toThrow(/approvalTimeoutMs/);
  });
});

describe("protected fields", () => {
  it("a plug cannot forge runId, sessionId, provider, sequence, id or the lane metadata, by replacing or mutating", async () => {
    const replacer: PipelinePlug = {
      name: "forger",
      handle: (event) =>
        event.kind === "assistant_delta"
          ? { action: "continue", event: { ...event, runId: "forged", sessionId: "forged", provider: "forged", sequence: 999, id: "forged", metadata: { ...event.metadata, lane: "sdk", backend: "forged", note: "kept" } } }
          : pass(event),
    };
    const mutator: PipelinePlug = {
      name: "mutator",
      handle: (event) => {
        if (event.kind === "result") {
          (event as { sequence: number }).sequence = -1;
          (event as { runId: string }).runId = "mutated";
        }
        return pass(event);
      },
    };
    const { asm } = setup([{ emit: fakeEvents.delta("a") }, { emit: fakeEvents.result("a") }]);
    const stream = asm.stream("fake", "hi", { pipeline: [replacer, mutator] });
    const events: AsmEvent[] = await collect(stream);
    expect(events.every((event) => event.runId === stream.runId)).toBe(true);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index));
    const delta = events.find((event) => event.kind === "assistant_delta");
    expect(delta?.metadata).toMatchObject({ lane: "core", backend: "fake:fake", note: "kept" });
    expect(delta?.id).not.toBe("forged");
    expect(delta?.provider).toBe("fake");
  });
});

describe("pause", () => {
  it("interrupts an active run, refuses a queued one and an unknown id with typed errors", async () => {
    const { asm } = setup(slowThenFast);
    const session = await asm.startSession({ provider: "fake" });
    const active = session.stream("slow");
    const activeEvents = collect(active);
    await until(() => session.checkpoint() !== null);
    const queued = session.stream("fast");
    const queuedEvents = collect(queued);
    await until(() => session.info().queuedRuns.length === 1);
    await rejectsWithCode(asm.pause(queued.runId), "unsupported");
    await rejectsWithCode(asm.pause("no-such-run"), "not_found");
    await asm.pause(active.runId);
    expect((await activeEvents).at(-1)?.payload).toMatchObject({ status: "interrupted" });
    expect((await queuedEvents).at(-1)?.payload).toMatchObject({ status: "completed" });
    expect(session.checkpoint()?.providerSessionId).toBe("ps-1");
  });
});

describe("execution surfaces without a driver", () => {
  it("guest_bridge is refused at validation as unsupported, naming the field", async () => {
    const { asm } = setup([{ emit: fakeEvents.result("x") }]);
    const error = await rejectsWithCode(asm.startSession({ provider: "fake", executionSurface: { kind: "guest_bridge" } }), "unsupported");
    expect(error.details).toMatchObject({ key: "executionSurface.kind" });
    const session = await asm.startSession({ provider: "fake" });
    await rejectsWithCode(session.query("hi", { executionSurface: { kind: "guest_bridge" } }), "unsupported");
  });
});

describe("intervene", () => {
  it("with maxQueuedRuns 0 is atomic: the replacement takes the target's slot and runs", async () => {
    const { asm } = setup(slowThenFast, { admission: { maxConcurrentRuns: 1, maxQueuedRuns: 0 } });
    const session = await asm.startSession({ provider: "fake" });
    const target = session.stream("slow");
    const targetEvents = collect(target);
    await until(() => session.checkpoint() !== null);
    const replacement = await collect(asm.intervene(target.runId, "fix"));
    expect(replacement.at(-1)?.payload).toMatchObject({ status: "completed" });
    expect((await targetEvents).at(-1)?.payload).toMatchObject({ status: "interrupted" });
  });

  it("a replacement that is refused leaves the target running", async () => {
    const { asm } = setup(slowThenFast, { admission: { maxConcurrentRuns: 1, maxQueuedRuns: 0 } });
    const session = await asm.startSession({ provider: "fake" });
    const target = session.stream("slow");
    const targetEvents = collect(target);
    await until(() => session.checkpoint() !== null);
    await rejectsWithCode(collect(asm.intervene(target.runId, "bad\0prompt")), "config_invalid");
    expect(session.info().activeRuns).toEqual([target.runId]);
    await session.stop();
    await targetEvents;
  });
});

describe("input no process can carry", () => {
  const prompt = "a secret prompt the error must not repeat";
  it.each([
    ["prompt", `${prompt}\0`, {}],
    ["extraArgs[1]", prompt, { extraArgs: ["--ok", "bad\0arg"] }],
    ["env.TOKEN", prompt, { env: { TOKEN: "abc\0def" } }],
    ["env", prompt, { env: { "A=B": "x" } }],
    ["cliPath", prompt, { cliPath: "/bin/x\0y" }],
  ])("%s is config_invalid naming the field, never echoing the prompt", async (key, text, options) => {
    const { asm, backend } = setup([{ emit: fakeEvents.result("x") }]);
    const error = await rejectsWithCode(asm.query("fake", text, options), "config_invalid");
    expect(error.details).toMatchObject({ key });
    expect(error.message).not.toContain(prompt);
    expect(error.message).not.toContain("abc");
    expect(backend.record.starts).toHaveLength(0);
  });

  it("a provider that is not a name is config_invalid naming provider", async () => {
    const { asm } = setup([]);
    const asAny = asm as unknown as { query(target: unknown, prompt: string): Promise<unknown>; startSession(options: unknown): Promise<unknown> };
    const fromQuery = await rejectsWithCode(asAny.query(7, "hi"), "config_invalid");
    expect(fromQuery.details).toMatchObject({ key: "provider" });
    const fromStart = await rejectsWithCode(asAny.startSession({ provider: 7 }), "config_invalid");
    expect(fromStart.details).toMatchObject({ key: "provider" });
    expect(fromQuery).toBeInstanceOf(AsmError);
  });
});
