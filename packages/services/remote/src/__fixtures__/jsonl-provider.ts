import type { ProviderDefinition } from "@asm/contract";
import { fakeProvider, jsonlTestProfile } from "@asm/testkit";

/**
 * A provider over the testkit's fake CLI: the fake provider's definition, with its scripted
 * backend swapped for the JSONL test profile (stdio control protocol, SIGINT interrupts), so the
 * core lane really spawns the CLI.
 */
export function jsonlProvider(): ProviderDefinition {
  const { coreBackend: _scripted, backend: _backend, ...definition } = fakeProvider([], { name: "jsonl", admission: { maxConcurrentRuns: 4, maxQueuedRuns: 10 } });
  return { ...definition, profile: jsonlTestProfile({ control: { interruptVia: "signal" } }) };
}
