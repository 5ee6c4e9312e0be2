import { fakeEvents } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { endpointFixture } from "./__fixtures__/endpoint-fixture.js";

type Fixture = Awaited<ReturnType<typeof endpointFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const script = [{ emit: fakeEvents.started("thread-1") }, { emit: fakeEvents.result("Hello", {}) }];
const ask = (current: Fixture, conversation: string) =>
  current.client.chat.completions.create({ model: "fake-model", messages: [{ role: "user", content: conversation }] }, { headers: { "x-asm-conversation-id": conversation } });

// The lease's conversation table is bounded: a client inventing conversation ids cannot grow the
// endpoint's sessions (and their CLI processes) without end.
describe("the lease's conversations", () => {
  it("past the cap, a new conversation ends the longest idle one, whose next request starts afresh", async () => {
    fixture = await endpointFixture(script, { maxConversationsPerLease: 2 });
    await ask(fixture, "a");
    await ask(fixture, "b");
    await ask(fixture, "a");
    await ask(fixture, "c"); // evicts b, the longest idle
    await ask(fixture, "a"); // a was kept: it continues
    await ask(fixture, "b"); // b was ended: a fresh session
    const starts = fixture.backend.record.starts;
    const session = (index: number) => starts[index]?.sessionId;
    expect(session(2)).toBe(session(0));
    expect(session(4)).toBe(session(0));
    expect(session(5)).not.toBe(session(1));
    expect(starts[5]?.continuation).toBeUndefined();
  });

  it("a conversation idle for longer than the limit is ended", async () => {
    fixture = await endpointFixture(script, { conversationIdleMs: 50 });
    await ask(fixture, "a");
    await new Promise((resolve) => setTimeout(resolve, 120));
    await ask(fixture, "a");
    const starts = fixture.backend.record.starts;
    expect(starts[1]?.sessionId).not.toBe(starts[0]?.sessionId);
    expect(starts[1]?.continuation).toBeUndefined();
  });

  it("refuses limits that are not positive integers", async () => {
    await expect(endpointFixture(script, { maxConversationsPerLease: 0 })).rejects.toMatchObject({ code: "config_invalid", details: { key: "maxConversationsPerLease" } });
    await expect(endpointFixture(script, { conversationIdleMs: 1.5 })).rejects.toMatchObject({ code: "config_invalid", details: { key: "conversationIdleMs" } });
  });
});
