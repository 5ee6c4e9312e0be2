import { AsmError, type AsmEvent, type BackendSession, type ProviderBackend } from "@asm/contract";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import diagnosticsChannel from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { createAsm, TELEMETRY_CHANNELS } from "../src/index.js";
import { collect, kinds, rejectsWithCode, setup, sleep, until } from "./helpers.js";

describe("admission", () => {
  it("runs one at a time, queues FIFO, and refuses past the queue with at_capacity", async () => {
    const order: string[] = [];
    const { asm } = setup((config) => {
      order.push(config.prompt);
      return [{ delayMs: 30 }, { emit: fakeEvents.result(config.prompt) }];
    });
    const session = await asm.startSession({ provider: "fake", maxConcurrentRuns: 1, maxQueuedRuns: 2 });
    const runs = ["a", "b", "c"].map((p) => collect(session.stream(p)));
    await until(() => session.info().queuedRuns.length === 2);
    await rejectsWithCode(collect(session.stream("d")), "at_capacity");
    const results = await Promise.all(runs);
    expect(order).toEqual(["a", "b", "c"]);
    expect(results.map((events) => events.at(-1)?.payload)).toEqual([{ status: "completed" }, { status: "completed" }, { status: "completed" }]);
  });

  it("never exceeds maxConcurrentRuns under concurrent submissions", async () => {
    let peak = 0;
    const seen: { record?: { starts: unknown[]; closes: unknown[] } } = {};
    const { asm, backend } = setup(() => {
      // Runs whose backend was started and not yet closed hold a slot.
      peak = Math.max(peak, seen.record!.starts.length - seen.record!.closes.length);
      return [{ delayMs: 20 }, { emit: fakeEvents.result("x") }];
    });
    seen.record = backend.record;
    const session = await asm.startSession({ provider: "fake", maxConcurrentRuns: 2, maxQueuedRuns: 10 });
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => collect(session.stream(`p${i}`))));
    expect(all.every((events) => events.at(-1)?.kind === "run_completed")).toBe(true);
    expect(peak).toBe(2);
  });

  it("expires a queued run after queueTimeoutMs with a timeout naming the queue", async () => {
    const { asm } = setup([{ hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const first = session.stream("one")[Symbol.asyncIterator]();
    await first.next();
    const events = await collect(session.stream("two", { queueTimeoutMs: 40 }));
    expect(events[0]?.payload).toMatchObject({ code: "timeout", details: { watchdog: "queue" } });
    expect(kinds(events)).toEqual(["error", "run_completed"]);
    await first.return?.();
  });

  it("stopSession interrupts active runs and refuses new ones", async () => {
    const { asm, backend } = setup([{ hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const events = collect(session.stream("x"));
    await until(() => backend.record.starts.length === 1);
    await asm.stopSession(session);
    expect((await events).at(-1)?.payload).toMatchObject({ status: "interrupted" });
    expect(asm.health(session)).toEqual({ status: "unhealthy", reason: "stopped" });
    expect(asm.health("no-such-session")).toEqual({ status: "unhealthy", reason: "not_found" });
    expect(() => asm.sessionInfo(session.id)).toThrow(AsmError);
    expect(backend.record.releasedSessions).toEqual([session.id]);
  });
});

describe("approvals", () => {
  const approvalScript = [
    {
      approval: { approvalId: "ap-1", subject: "Bash", details: { toolInput: { command: "ls" } } },
      onAllow: [{ emit: fakeEvents.toolResult("c1", "ok") }, { emit: fakeEvents.result("allowed") }],
      onDeny: [{ emit: fakeEvents.result("denied") }],
    },
  ];

  async function runWithDecision(decision: "allow" | "deny") {
    const { asm, backend } = setup(approvalScript);
    const session = await asm.startSession({ provider: "fake" });
    const seen: Array<{ id: string; kind: string; payload: unknown; correlationId: string | null }> = [];
    const stream = session.stream("hi");
    for await (const event of stream) {
      seen.push({ id: event.id, kind: event.kind, payload: event.payload, correlationId: event.correlationId });
      if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, decision);
    }
    return { seen, backend, runId: stream.runId };
  }

  it("hands out an id namespaced by run, keeps the CLI's in the payload, and answers the backend with the CLI's", async () => {
    const { seen, backend, runId } = await runWithDecision("allow");
    const requested = seen.find((e) => e.kind === "approval_requested");
    expect(requested?.payload).toMatchObject({ approvalId: `${runId}/ap-1`, providerApprovalId: "ap-1", subject: "Bash" });
    expect(backend.record.approvals).toEqual([{ runId, approvalId: "ap-1", decision: "allow" }]);
    const resolved = seen.find((e) => e.kind === "approval_resolved");
    expect(resolved?.payload).toEqual({ approvalId: `${runId}/ap-1`, decision: "allow" });
    expect(resolved?.correlationId).toBeTruthy();
    // The resolution points at its request.
    expect(resolved?.correlationId).toBe(requested?.correlationId ?? requested?.id);
    expect(seen.find((e) => e.kind === "result")?.payload).toMatchObject({ text: "allowed" });
  });

  it("delivers deny to the backend", async () => {
    const { seen, backend } = await runWithDecision("deny");
    expect(backend.record.approvals[0]?.decision).toBe("deny");
    expect(seen.find((e) => e.kind === "result")?.payload).toMatchObject({ text: "denied" });
  });

  it("denies on timeout with reason timeout, and a late approve is not_found", async () => {
    const { asm, backend } = setup(approvalScript);
    const session = await asm.startSession({ provider: "fake" });
    let approvalId = "";
    const events = [];
    for await (const event of session.stream("hi", { approvalTimeoutMs: 30 })) {
      events.push(event);
      if (event.kind === "approval_requested") approvalId = event.payload.approvalId;
    }
    const resolved = events.find((e) => e.kind === "approval_resolved");
    expect(resolved?.payload).toEqual({ approvalId, decision: "deny", reason: "timeout" });
    expect(backend.record.approvals).toEqual([{ runId: expect.any(String), approvalId: "ap-1", decision: "deny", reason: "timeout" }]);
    await rejectsWithCode(asm.approve(approvalId, "allow"), "not_found");
  });

  it("rejects an unknown approval id and an invalid decision", async () => {
    const { asm } = setup(approvalScript);
    await rejectsWithCode(asm.approve("nope", "allow"), "not_found");
    const session = await asm.startSession({ provider: "fake" });
    for await (const event of session.stream("hi", { approvalTimeoutMs: 200 })) {
      if (event.kind !== "approval_requested") continue;
      await rejectsWithCode(asm.approve(event.payload.approvalId, "maybe" as "allow"), "config_invalid");
      // The CLI's own id is not ASM's: it names nothing here.
      await rejectsWithCode(asm.approve("ap-1", "allow"), "not_found");
    }
  });

  it("pauses the stream timeout while an approval is pending", async () => {
    const { asm } = setup(approvalScript);
    const session = await asm.startSession({ provider: "fake" });
    const seen: string[] = [];
    for await (const event of session.stream("hi", { streamTimeoutMs: 20, approvalTimeoutMs: 5_000 })) {
      seen.push(event.kind);
      if (event.kind === "approval_requested") {
        await sleep(80);
        await asm.approve(event.payload.approvalId, "allow");
      }
    }
    expect(seen).not.toContain("error");
    expect(seen.at(-1)).toBe("run_completed");
  });
});

describe("approval ids across sessions", () => {
  it("two concurrent sessions whose CLIs both say req-same never cross: each answer reaches its own run", async () => {
    const script = (text: string) => [
      {
        approval: { approvalId: "req-same", subject: "Bash" },
        onAllow: [{ emit: fakeEvents.result(`${text} allowed`) }],
        onDeny: [{ emit: fakeEvents.result(`${text} denied`) }],
      },
    ];
    const alpha = fakeProvider(script("alpha"), { name: "alpha" });
    const beta = fakeProvider(script("beta"), { name: "beta" });
    const asm = createAsm({ providers: [alpha, beta] });
    const a = await asm.startSession({ provider: "alpha" });
    const b = await asm.startSession({ provider: "beta" });
    const streams = [a.stream("a"), b.stream("b")];
    const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
    const requested: AsmEvent[] = [];
    // Both runs reach their approval before either is answered.
    for (const iterator of iterators) {
      for (;;) {
        const step = await iterator.next();
        if (step.done === true) break;
        if (step.value.kind === "approval_requested") {
          requested.push(step.value);
          break;
        }
      }
    }
    expect(requested).toHaveLength(2);
    const [ida = "", idb = ""] = requested.map((event) => (event.kind === "approval_requested" ? event.payload.approvalId : ""));
    expect(ida).not.toBe(idb);
    expect(requested.map((event) => (event.kind === "approval_requested" ? event.payload.providerApprovalId : ""))).toEqual(["req-same", "req-same"]);
    // Answer the second session first, with the opposite decision of the first.
    await asm.approve(idb, "deny");
    await asm.approve(ida, "allow");
    const rest = await Promise.all(
      iterators.map(async (iterator) => {
        const events = [];
        for (;;) {
          const step = await iterator.next();
          if (step.done) return events;
          events.push(step.value);
        }
      }),
    );
    const resultText = (events: typeof rest[number]) => events.find((event) => event.kind === "result")?.payload as { text?: string } | undefined;
    expect(resultText(rest[0]!)?.text).toBe("alpha allowed");
    expect(resultText(rest[1]!)?.text).toBe("beta denied");
    expect(alpha.backend.record.approvals).toEqual([{ runId: streams[0]!.runId, approvalId: "req-same", decision: "allow" }]);
    expect(beta.backend.record.approvals).toEqual([{ runId: streams[1]!.runId, approvalId: "req-same", decision: "deny" }]);
    // Answered ids are gone, and a session cannot answer another session's approval.
    await rejectsWithCode(asm.approve(ida, "allow"), "not_found");
    await asm.dispose();
  });

  it("a session refuses an approval of another session's run", async () => {
    const provider = fakeProvider([{ approval: { approvalId: "req-1", subject: "Bash" }, onAllow: [{ emit: fakeEvents.result("ok") }] }]);
    const asm = createAsm({ providers: [provider] });
    const owner = await asm.startSession({ provider: "fake" });
    const other = await asm.startSession({ provider: "fake" });
    for await (const event of owner.stream("hi", { approvalTimeoutMs: 5_000 })) {
      if (event.kind !== "approval_requested") continue;
      await rejectsWithCode(other.approve(event.payload.approvalId, "allow"), "not_found");
      await owner.approve(event.payload.approvalId, "allow");
    }
    await asm.dispose();
  });

  it("run ids are unique in the runtime, so approval ids are too", async () => {
    const { asm } = setup([{ hang: true }]);
    const a = await asm.startSession({ provider: "fake" });
    const b = await asm.startSession({ provider: "fake" });
    const first = a.stream("x", { runId: "run-1" })[Symbol.asyncIterator]();
    await first.next();
    await rejectsWithCode(collect(b.stream("y", { runId: "run-1" })), "config_invalid");
    await first.return?.();
    await asm.dispose();
  });
});

describe("telemetry", () => {
  it("publishes run and approval lifecycle on diagnostics channels", async () => {
    const messages: Array<[string, unknown]> = [];
    const listeners = Object.values(TELEMETRY_CHANNELS).map((name) => {
      const listener = (message: unknown) => messages.push([name, message]);
      diagnosticsChannel.subscribe(name, listener);
      return [name, listener] as const;
    });
    try {
      const provider = fakeProvider([
        { approval: { approvalId: "t-1", subject: "Bash" }, onAllow: [{ emit: fakeEvents.result("x") }] },
      ]);
      const failing = fakeProvider([{ emit: fakeEvents.error("rate_limit", "slow down") }], { name: "failing" });
      const asm = createAsm({ providers: [provider, failing] });
      const session = await asm.startSession({ provider: "fake" });
      for await (const event of session.stream("hi")) if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, "allow");
      await asm.query("failing", "hi").catch(() => undefined);
    } finally {
      for (const [name, listener] of listeners) diagnosticsChannel.unsubscribe(name, listener);
    }
    const names = messages.map(([name]) => name);
    expect(names).toEqual(["asm:run:started", "asm:approval:requested", "asm:approval:resolved", "asm:run:completed", "asm:run:started", "asm:run:failed"]);
    expect(messages.at(-1)?.[1]).toMatchObject({ code: "rate_limit", provider: "failing", status: "failed" });
  });
});

describe("transportCallTimeoutMs", () => {
  it("bounds a call into the backend: an approval answer the backend never takes rejects with timeout", async () => {
    const provider = fakeProvider([{ approval: { approvalId: "req-1", subject: "Bash" }, onAllow: [{ emit: fakeEvents.result("ok") }] }]);
    const real = provider.backend;
    // A backend whose CLI stopped reading its input: the answer is never written.
    const stuck: ProviderBackend = {
      specificationVersion: "v1",
      name: real.name,
      async start(config) {
        const session = await real.start(config);
        return Object.assign(Object.create(session) as BackendSession, { respondToApproval: () => new Promise<void>(() => undefined) });
      },
    };
    const asm = createAsm({ providers: [{ ...provider, coreBackend: stuck }] });
    const session = await asm.startSession({ provider: "fake", transportCallTimeoutMs: 40 });
    const stream = session.stream("hi", { approvalTimeoutMs: 10_000 });
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.kind);
      if (event.kind !== "approval_requested") continue;
      const error = await rejectsWithCode(asm.approve(event.payload.approvalId, "allow"), "timeout");
      expect(error.details).toMatchObject({ watchdog: "transport_call", timeoutMs: 40 });
      await asm.interrupt(stream.runId);
    }
    expect(seen).toContain("approval_resolved");
    expect(seen.at(-1)).toBe("run_completed");
    await asm.dispose();
  });
});
