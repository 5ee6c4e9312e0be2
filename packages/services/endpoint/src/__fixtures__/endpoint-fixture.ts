import type { AsmEvent } from "@asm/contract";
import { createAsm, type EventStore } from "@asm/core";
import { fakeProvider, type FakeScript } from "@asm/testkit";
import OpenAI from "openai";
import { consumerManifest } from "../consumer-manifest.js";
import { startEndpointServer, type EndpointServerOptions } from "../endpoint-server.js";

/** An event store that keeps every event of every session, to count terminal events. */
function recordingStore(): EventStore & { events: AsmEvent[] } {
  const events: AsmEvent[] = [];
  return {
    events,
    append: (event) => {
      events.push(event);
      return Promise.resolve();
    },
    list: (sessionId) => Promise.resolve(events.filter((event) => event.sessionId === sessionId)),
    reset: () => Promise.resolve(),
  };
}

/** Every raw response body the client saw (to prove no secret leaves). */
interface SeenBodies {
  bodies: string[];
}

/**
 * A runtime with one fake provider (the testkit's scripted backend) behind a started endpoint
 * and one lease, plus the real `openai` client pointed at it.
 */
export async function endpointFixture(script: FakeScript, options: Partial<EndpointServerOptions> = {}) {
  const provider = fakeProvider(script, { admission: { maxConcurrentRuns: 4, maxQueuedRuns: 4 } });
  const store = recordingStore();
  const asm = createAsm({ providers: [provider], config: { store } });
  const server = await startEndpointServer({ asm, ...options });
  const lease = await server.ensureEndpoint({ modelPreference: { provider: "fake", id: "fake-model" }, stream: true }, consumerManifest());
  const seen: SeenBodies = { bodies: [] };
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const copy = response.clone();
    void copy.text().then((text) => seen.bodies.push(text), () => undefined);
    return response;
  };
  const client = new OpenAI({ baseURL: lease.descriptor.baseUrl, apiKey: lease.token, maxRetries: 0, fetch: recordingFetch });
  const close = async () => {
    await server.close();
    await asm.dispose();
  };
  return { asm, provider, backend: provider.backend, store, server, lease, client, seen, close };
}
