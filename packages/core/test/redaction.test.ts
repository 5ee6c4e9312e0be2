import { AsmError, backendEvent, type AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore, type PipelinePlug } from "../src/index.js";
import { collect, rejectsWithCode, setup } from "./helpers.js";

const HOST_KEY = "asm-kernel-test-openai-4e9d";
const RUN_SECRET = "asm-kernel-test-marked-77aa";
const SHAPED = "sk-proj-AbCdEfGhIjKlMnOpQrStUv";
const saved = process.env.OPENAI_API_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved;
});

function leaks(value: unknown): string[] {
  // Cycle-safe: a query's error carries its result, whose error is the same error.
  const seen = new WeakSet<object>();
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== "object" || item === null) return item;
    if (seen.has(item)) return "[cycle]";
    seen.add(item);
    return item;
  });
  return [HOST_KEY, RUN_SECRET, SHAPED].filter((secret) => text.includes(secret));
}

const leakyScript = [
  { emit: backendEvent("stderr", { content: `debug: using key ${HOST_KEY}\n` }) },
  { emit: fakeEvents.delta(`token ${SHAPED}`) },
  {
    emit: backendEvent("error", {
      code: "transport_exit",
      message: `exited 1: invalid key ${RUN_SECRET}`,
      severity: "error",
      details: { stderrTail: `401 ${HOST_KEY}` },
    }),
  },
];

describe("kernel redaction", () => {
  it("redacts secrets from every event, the store, the thrown error and run_completed, whatever the backend printed", async () => {
    process.env.OPENAI_API_KEY = HOST_KEY;
    const store = new MemoryStore();
    const { asm } = setup(leakyScript, {}, { store });
    const options = { env: { MARKED: RUN_SECRET }, secretEnv: ["MARKED"] };
    const events: AsmEvent[] = await collect(asm.stream("fake", "hi", options));
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(leaks(events)).toEqual([]);
    expect(JSON.stringify(events)).toContain("[REDACTED:OPENAI_API_KEY]");
    expect(JSON.stringify(events)).toContain("[REDACTED:MARKED]");
    const error = await rejectsWithCode(asm.query("fake", "hi", options), "transport_exit");
    expect(leaks({ message: error.message, details: error.details, stack: error.stack })).toEqual([]);
    expect(error.message).toContain("[REDACTED:MARKED]");
    const stored = await store.list(events[0]?.sessionId ?? "");
    expect(stored.length).toBe(events.length);
    expect(leaks(stored)).toEqual([]);
  });

  it("redacts an error the backend throws at start", async () => {
    process.env.OPENAI_API_KEY = HOST_KEY;
    const { asm } = setup([], { startError: new AsmError("auth_error", `rejected key ${HOST_KEY}`, { details: { header: `Bearer ${SHAPED}` } }) });
    const error = await rejectsWithCode(asm.query("fake", "hi"), "auth_error");
    expect(leaks({ message: error.message, details: error.details })).toEqual([]);
    expect(error.message).toContain("[REDACTED:OPENAI_API_KEY]");
  });

  describe("a backend that redacts its own events", () => {
    const passThrough: PipelinePlug = { name: "pass", handle: (event) => ({ action: "continue", event }) };
    const deltaScript = [{ emit: fakeEvents.delta(`token ${SHAPED}`) }, { emit: fakeEvents.result(`done ${SHAPED}`) }];

    it("is handed the run's secrets: the host's keys, the marked variables and the host tools token", async () => {
      process.env.OPENAI_API_KEY = HOST_KEY;
      const { asm, backend } = setup([{ emit: fakeEvents.result("done") }], { claimsRedactedEvents: true });
      await asm.query("fake", "hi", { env: { MARKED: RUN_SECRET }, secretEnv: ["MARKED"] });
      const handed = backend.record.starts[0]?.redactSecrets ?? [];
      expect(handed).toContainEqual({ value: HOST_KEY, name: "OPENAI_API_KEY" });
      expect(handed).toContainEqual({ value: RUN_SECRET, name: "MARKED" });
    });

    it("has its events delivered without a second pass: the claim is the backend's promise", async () => {
      const { asm } = setup(deltaScript, { claimsRedactedEvents: true });
      const events = await collect(asm.stream("fake", "hi"));
      const delta = events.find((event) => event.kind === "assistant_delta");
      expect(JSON.stringify(delta?.payload)).toContain(SHAPED);
      // What the kernel builds itself is still redacted: the run's outcome carries the text.
      const completed = events.at(-1);
      expect(completed?.kind).toBe("run_completed");
      expect(JSON.stringify(completed?.payload)).not.toContain(SHAPED);
    });

    it("is still redacted by the kernel when a plug could change its events", async () => {
      const { asm } = setup(deltaScript, { claimsRedactedEvents: true });
      const events = await collect(asm.stream("fake", "hi", { pipeline: [passThrough] }));
      expect(leaks(events)).toEqual([]);
      expect(JSON.stringify(events)).toContain("[REDACTED]");
    });

    it("keeps the single pass with a plug that only observes (it cannot change events), and the plug sees every event", async () => {
      const seen: string[] = [];
      const observer: PipelinePlug = { name: "watch", observe: (event) => void seen.push(event.kind) };
      const { asm } = setup(deltaScript, { claimsRedactedEvents: true });
      const events = await collect(asm.stream("fake", "hi", { pipeline: [observer] }));
      expect(JSON.stringify(events.find((event) => event.kind === "assistant_delta")?.payload)).toContain(SHAPED);
      expect(seen).toEqual(events.map((event) => event.kind));
    });

    it("is still redacted by the kernel when the envelope itself holds a secret (a session id)", async () => {
      const { asm } = setup(deltaScript, { claimsRedactedEvents: true });
      const session = await asm.startSession({ provider: "fake", sessionId: `s-${SHAPED}` });
      const events = await collect(session.stream("hi"));
      await asm.stopSession(session);
      expect(leaks(events)).toEqual([]);
    });

    it("is redacted by the kernel when it does not make the claim", async () => {
      const { asm } = setup(deltaScript);
      const events = await collect(asm.stream("fake", "hi"));
      expect(leaks(events)).toEqual([]);
    });
  });
});
