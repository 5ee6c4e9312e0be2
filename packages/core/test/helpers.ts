import type { AsmError, AsmEvent } from "@asm/contract";
import { fakeProvider, type FakeProviderOptions, type FakeScript } from "@asm/testkit";
import { createAsm, type AsmConfig } from "../src/index.js";

/** A runtime with one fake provider; returns both. */
export function setup(script: FakeScript, options: FakeProviderOptions = {}, config: AsmConfig = {}) {
  const provider = fakeProvider(script, options);
  const asm = createAsm({ providers: [provider], config });
  return { asm, provider, backend: provider.backend };
}

/** Collects a stream's events. */
export async function collect(stream: AsyncIterable<AsmEvent>): Promise<AsmEvent[]> {
  const events: AsmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Kinds of the events, in order. */
export const kinds = (events: AsmEvent[]) => events.map((event) => event.kind);

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds (polling), failing after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(5);
  }
}

/** Expects `promise` to reject with an AsmError of `code`; returns the error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string };
    if (e.code !== code) throw new Error(`expected AsmError ${code}, got ${String(e.code)}: ${String(error)}`);
    return error as AsmError;
  }
  throw new Error(`expected rejection with ${code}, but it resolved`);
}
