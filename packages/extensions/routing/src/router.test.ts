import { backendEvent, isAsmError, type AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeEvents, fakeProvider, type FakeStep } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createRouter, type RouterOptions } from "./index.js";

const answer = (text: string): FakeStep[] => [{ emit: fakeEvents.started(`ps-${text}`) }, { emit: fakeEvents.delta(text) }, { emit: fakeEvents.result(text) }];
const limited = (resetsAt?: string): FakeStep[] => [
  ...(resetsAt ? [{ emit: backendEvent("rate_limited", { message: "usage limit reached", resetsAt }) }] : []),
  { emit: fakeEvents.error("rate_limit", "429 Too Many Requests") },
];

let asm: Asm | undefined;
afterEach(async () => {
  await asm?.dispose();
  asm = undefined;
});

function runtime(scripts: Record<string, () => FakeStep[]>) {
  const providers = Object.entries(scripts).map(([name, script]) => fakeProvider(() => script(), { name }));
  asm = createAsm({ providers });
  return { asm, providers };
}

async function collect(stream: AsyncIterable<AsmEvent>): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function expectConfigInvalid(options: Partial<RouterOptions>, key: string) {
  try {
    createRouter(options as RouterOptions);
  } catch (error) {
    expect(isAsmError(error) && error.code).toBe("config_invalid");
    expect(isAsmError(error) && error.details.key).toBe(key);
    return;
  }
  throw new Error(`expected config_invalid for ${key}`);
}

describe("createRouter options", () => {
  it("refuses every bad field with config_invalid naming it", () => {
    const { asm } = runtime({ a: () => answer("A"), b: () => answer("B") });
    expectConfigInvalid({ candidates: ["a"] }, "asm");
    expectConfigInvalid({ asm, candidates: [] }, "candidates");
    expectConfigInvalid({ asm, candidates: ["a", "a"] }, "candidates[1].id");
    expectConfigInvalid({ asm, candidates: [{ provider: "" }] }, "candidates[0].provider");
    expectConfigInvalid({ asm, candidates: [{ provider: "nope" }] }, "candidates[0].provider");
    expectConfigInvalid({ asm, candidates: [{ provider: "a", weight: 0 }] }, "candidates[0].weight");
    expectConfigInvalid({ asm, candidates: [{ provider: "a", weight: 1.5 }] }, "candidates[0].weight");
    expectConfigInvalid({ asm, candidates: [{ provider: "a", priority: "high" as unknown as number }] }, "candidates[0].priority");
    expectConfigInvalid({ asm, candidates: [{ provider: "a", providerOptions: [] as unknown as Record<string, unknown> }] }, "candidates[0].providerOptions");
    expectConfigInvalid({ asm, candidates: [{ provider: "a", model: "x" } as never] }, "candidates[0].model");
    expectConfigInvalid({ asm, candidates: ["a"], strategy: "random" as never }, "strategy");
    expectConfigInvalid({ asm, candidates: ["a"], failureCooldownMs: -1 }, "failureCooldownMs");
    expectConfigInvalid({ asm, candidates: ["a"], failureCooldownMs: 10, maxCooldownMs: 5 }, "maxCooldownMs");
    expectConfigInvalid({ asm, candidates: ["a"], retryOn: ["nope" as never] }, "retryOn[0]");
    expectConfigInvalid({ asm, candidates: ["a"], onRateLimit: "sleep" as never }, "onRateLimit");
    expectConfigInvalid({ asm, candidates: ["a"], clock: 5 as never }, "clock");
    expectConfigInvalid({ asm, candidates: ["a"], failoverAfterOutput: "yes" as never }, "failoverAfterOutput");
    const router = createRouter({ asm, candidates: ["a"] });
    expect(() => router.reportSuccess("zzz")).toThrow(/not a candidate/);
  });
});

describe("health", () => {
  it("goes healthy → unhealthy → degraded → healthy, with a cooldown that doubles", () => {
    let now = 1_000_000;
    const { asm } = runtime({ a: () => answer("A"), b: () => answer("B") });
    const router = createRouter({ asm, candidates: ["a", "b"], strategy: "priority", failureCooldownMs: 1000, clock: () => now });
    expect(router.select().id).toBe("a");
    router.reportFailure("a", { code: "rate_limit", message: "429" });
    expect(router.healthSnapshot().a).toMatchObject({ status: "unhealthy", failures: 1, excluded: true, excludedUntilMs: now + 1000 });
    expect(router.select().id).toBe("b");
    now += 1000;
    expect(router.healthSnapshot().a?.status).toBe("degraded");
    expect(router.select().id).toBe("a");
    router.reportFailure("a", { code: "rate_limit", message: "429" });
    expect(router.healthSnapshot().a?.excludedUntilMs).toBe(now + 2000);
    router.reportFailure("b", { code: "auth_error", message: "401", resetAtMs: now + 60_000 });
    expect(router.healthSnapshot().b?.excludedUntilMs).toBe(now + 60_000);
    expect(() => router.select()).toThrow(/no healthy providers/);
    now += 2000;
    router.reportSuccess("a");
    expect(router.healthSnapshot().a).toMatchObject({ status: "healthy", failures: 0, lastError: null, excluded: false });
  });
});

describe("failover", () => {
  it("re-runs on the next candidate when the first is rate limited before any output, with one warning and one terminal event", async () => {
    const { asm, providers } = runtime({ a: () => limited(), b: () => answer("B") });
    const router = createRouter({ asm, candidates: ["a", "b"], strategy: "priority" });
    const stream = router.stream("hi");
    const events = await collect(stream);
    const warnings = events.filter((event) => event.kind === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.payload).toMatchObject({ code: "routing.failover", details: { candidateId: "a", code: "rate_limit", nextCandidateId: "b" } });
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(events.filter((event) => event.kind === "error")).toHaveLength(0);
    expect(events.find((event) => event.kind === "result")?.provider).toBe("b");
    expect(stream.attempts.map((attempt) => [attempt.candidateId, attempt.outcome])).toEqual([
      ["a", "failed_over"],
      ["b", "succeeded"],
    ]);
    expect(providers[0]?.backend.record.starts).toHaveLength(1);
    expect(router.healthSnapshot().a?.status).toBe("unhealthy");
    expect(router.healthSnapshot().b?.status).toBe("healthy");
  });

  it("does not re-run once the agent produced output, unless asked to", async () => {
    const partial = (): FakeStep[] => [{ emit: fakeEvents.delta("half") }, { emit: fakeEvents.error("rate_limit", "429") }];
    const { asm, providers } = runtime({ a: partial, b: () => answer("B") });
    const result = await createRouter({ asm, candidates: ["a", "b"], strategy: "priority" }).query("hi");
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("rate_limit");
    expect(providers[1]?.backend.record.starts).toHaveLength(0);

    const optedIn = await createRouter({ asm, candidates: ["a", "b"], strategy: "priority", failoverAfterOutput: true }).query("hi");
    expect(optedIn.status).toBe("completed");
    expect(optedIn.provider).toBe("b");
    expect(optedIn.metadata.routing).toMatchObject({ attempts: [{ candidateId: "a", outcome: "failed_over" }, { candidateId: "b", outcome: "succeeded" }] });
  });

  it("does not fail over on a failure that is not listed in retryOn", async () => {
    const { asm, providers } = runtime({ a: () => [{ emit: fakeEvents.error("timeout", "idle") }], b: () => answer("B") });
    const result = await createRouter({ asm, candidates: ["a", "b"], strategy: "priority" }).query("hi");
    expect(result.error?.code).toBe("timeout");
    expect(providers[1]?.backend.record.starts).toHaveLength(0);
  });

  it("surfaces the last failure when every candidate fails", async () => {
    const { asm } = runtime({ a: () => limited(), b: () => [{ emit: fakeEvents.error("auth_error", "401 invalid api key") }] });
    const events = await collect(createRouter({ asm, candidates: ["a", "b"], strategy: "priority" }).stream("hi"));
    expect(events.filter((event) => event.kind === "warning").map((event) => event.kind === "warning" && event.payload.details.candidateId)).toEqual(["a"]);
    const errors = events.filter((event) => event.kind === "error");
    expect(errors.map((event) => event.kind === "error" && event.payload.code)).toEqual(["auth_error"]);
    expect(events.at(-1)?.kind).toBe("run_completed");
  });

  it("keeps a provider out until the reset time it reported", async () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    const resetsAt = "2030-01-01T01:00:00.000Z";
    const { asm } = runtime({ a: () => limited(resetsAt), b: () => answer("B") });
    const router = createRouter({ asm, candidates: ["a", "b"], strategy: "priority", clock: () => now });
    const events = await collect(router.stream("hi"));
    expect(events.find((event) => event.kind === "warning")?.payload).toMatchObject({ details: { resetsAt } });
    expect(router.healthSnapshot().a?.excludedUntilMs).toBe(Date.parse(resetsAt));
    expect(router.select().id).toBe("b");
  });

  it("waits for the reset and re-runs on the same provider when told to", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const slept: number[] = [];
    let calls = 0;
    const { asm, providers } = runtime({ a: () => (calls++ === 0 ? limited("2030-01-01T00:00:05Z") : answer("A")), b: () => answer("B") });
    const router = createRouter({
      asm,
      candidates: ["a", "b"],
      strategy: "priority",
      onRateLimit: "wait",
      clock: () => now,
      sleep: (ms) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    const stream = router.stream("hi");
    const events = await collect(stream);
    expect(slept).toEqual([5000]);
    expect(events.find((event) => event.kind === "warning")?.payload).toMatchObject({ code: "routing.waiting", details: { waitMs: 5000 } });
    expect(events.find((event) => event.kind === "result")?.provider).toBe("a");
    expect(providers[1]?.backend.record.starts).toHaveLength(0);
    expect(stream.attempts.map((attempt) => attempt.outcome)).toEqual(["waited", "succeeded"]);
  });

  it("passes candidate options, overridden by the call's", async () => {
    const { asm, providers } = runtime({ a: () => answer("A") });
    await createRouter({ asm, candidates: [{ provider: "a", providerOptions: { model: "m1" } }] }).query("hi");
    await createRouter({ asm, candidates: [{ provider: "a", providerOptions: { model: "m1" } }] }).query("hi", { model: "m2" });
    expect(providers[0]?.backend.record.starts.map((start) => start.providerOptions.model)).toEqual(["m1", "m2"]);
  });

  it("interrupts the running attempt when the consumer stops reading", async () => {
    const hang = (): FakeStep[] => [{ emit: fakeEvents.delta("working") }, { hang: true }];
    const { asm, providers } = runtime({ a: hang, b: () => answer("B") });
    const stream = createRouter({ asm, candidates: ["a", "b"], strategy: "priority" }).stream("hi");
    for await (const event of stream) if (event.kind === "assistant_delta") break;
    expect(providers[0]?.backend.record.interrupts).toHaveLength(1);
    expect(providers[1]?.backend.record.starts).toHaveLength(0);
  });
});
