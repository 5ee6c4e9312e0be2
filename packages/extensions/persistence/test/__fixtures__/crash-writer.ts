// A writer process for the crash tests: opens the store its arguments name and appends events
// as fast as it can (single appends and batches, several in flight at once), recording each
// event id in the ack log only after its append resolved. The test kills it with SIGKILL.
import { closeSync, openSync, writeSync } from "node:fs";
import { createEvent, ulid, type AsmEvent } from "@asm/contract";
import { openStore } from "../../src/index.js";

const [url, sessionId, ackLog] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url, { fsync: "batch" });
const acks = openSync(ackLog, "a");
const runId = ulid();
let sequence = 0;

const next = (): AsmEvent =>
  createEvent({ kind: "assistant_delta", payload: { content: `chunk ${sequence} ${"x".repeat(sequence % 97)}` }, sessionId, runId, provider: "crash", sequence: sequence++, metadata: { lane: "core" } });

const acknowledge = (events: AsmEvent[]): void => {
  writeSync(acks, events.map((event) => `${event.id}\n`).join(""));
};

async function lane(batch: boolean): Promise<never> {
  for (;;) {
    const events = batch ? Array.from({ length: 1 + (sequence % 17) }, next) : [next()];
    if (batch) await store.appendBatch(events);
    else await store.append(events[0]!);
    acknowledge(events);
  }
}

writeSync(acks, "");
process.on("exit", () => closeSync(acks));
await Promise.all([lane(false), lane(true), lane(false)]);
