import type { AsmEvent } from "@asm/contract";
import type { Asm } from "@asm/core";
import { consumerManifest, startEndpointServer } from "@asm/endpoint";
import { createBenchAsm } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_MINIMAL_PATH } from "../fake/fake-claude.js";
import type { BenchPreset } from "../presets.js";
import { percentiles, type Percentiles } from "../stats.js";

/** The endpoint benchmark's figures: the same turn through the endpoint and through the kernel directly. */
export interface EndpointReport {
  /** Requests of each kind (plain and streaming), each paired with a direct call. */
  requests: number;
  /** Wall time of one plain request: the kernel's `query` and the endpoint's `chat.completion` (ms). */
  plain: { direct: Percentiles; endpoint: Percentiles; addedMedianMs: number; addedP99Ms: number };
  /** Wall time of one streamed turn to its end: `stream()` and the SSE stream through `[DONE]` (ms). */
  streaming: { direct: Percentiles; endpoint: Percentiles; addedMedianMs: number; addedP99Ms: number };
  /** Time to the first text: the first text event, and the first content chunk (ms). */
  firstToken: { direct: Percentiles; endpoint: Percentiles; addedMedianMs: number };
  /** Requests/s with `clients` clients at once, each sending requests back to back. */
  concurrency: { clients: number; requests: number; directPerSecond: number; endpointPerSecond: number; ratio: number };
}

const PROMPT = "Run the benchmark";
const MODEL = "opus";
/** The run options both paths use (the endpoint's lease hands the same to every run). */
const RUN_OPTIONS = { cliPath: FAKE_CLAUDE_MINIMAL_PATH, includePartialMessages: true, autoResume: false };

async function directPlain(asm: Asm): Promise<void> {
  await asm.query("claude", PROMPT, { ...RUN_OPTIONS, model: MODEL });
}

/** A direct streamed turn: returns [time to first text, time to end]. */
async function directStream(asm: Asm): Promise<[number, number]> {
  const start = performance.now();
  let first = Number.NaN;
  for await (const event of asm.stream("claude", PROMPT, { ...RUN_OPTIONS, model: MODEL }) as AsyncIterable<AsmEvent>) {
    if (Number.isNaN(first) && (event.kind === "assistant_delta" || event.kind === "assistant_message")) first = performance.now() - start;
  }
  return [first, performance.now() - start];
}

interface Lease {
  url: string;
  headers: Record<string, string>;
}

async function endpointPlain(lease: Lease): Promise<void> {
  const response = await fetch(lease.url, { method: "POST", headers: lease.headers, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: PROMPT }] }) });
  const body = (await response.json()) as { choices?: Array<{ message: { content: string } }> };
  if (response.status !== 200 || body.choices?.[0]?.message.content !== "OK") throw new Error(`endpoint answered ${response.status}: ${JSON.stringify(body)}`);
}

/** A streamed request read through `[DONE]`: returns [time to the first content chunk, time to end]. */
async function endpointStream(lease: Lease): Promise<[number, number]> {
  const start = performance.now();
  const response = await fetch(lease.url, { method: "POST", headers: lease.headers, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: PROMPT }], stream: true }) });
  if (response.status !== 200 || !response.body) throw new Error(`endpoint answered ${response.status}`);
  let first = Number.NaN;
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (Number.isNaN(first) && text.includes('"content":"OK"')) first = performance.now() - start;
  }
  if (!text.endsWith("data: [DONE]\n\n")) throw new Error("the stream did not end with [DONE]");
  return [first, performance.now() - start];
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

/** `total` calls with `clients` running at once; returns calls per second. */
async function perSecond(clients: number, total: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        next += 1;
        await call();
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

/**
 * Endpoint: the shell fake's minimal turn through `asm.query` / `asm.stream` directly and through
 * the endpoint (fetch on loopback, keep-alive), interleaved pair by pair so drift hits both; then
 * requests/s at `clients` concurrent clients each way.
 */
export async function benchEndpoint(preset: BenchPreset, log: (line: string) => void): Promise<EndpointReport> {
  const { requests, clients, concurrentRequests } = preset.endpoint;
  const asm = createBenchAsm();
  const server = await startEndpointServer({ asm });
  try {
    const lease = await server.ensureEndpoint({ modelPreference: { provider: "claude", id: MODEL }, stream: true }, consumerManifest(), { sessionOptions: RUN_OPTIONS });
    const target: Lease = { url: `${lease.descriptor.baseUrl}/chat/completions`, headers: { ...lease.descriptor.headers, "content-type": "application/json" } };
    // Warm-up: JIT, the CLI's version check, the keep-alive connection.
    for (let i = 0; i < 5; i += 1) {
      await directPlain(asm);
      await endpointPlain(target);
      await endpointStream(target);
    }
    const plainDirect: number[] = [];
    const plainEndpoint: number[] = [];
    const streamDirect: number[] = [];
    const streamEndpoint: number[] = [];
    const firstDirect: number[] = [];
    const firstEndpoint: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      if (i % 2 === 0) {
        plainDirect.push(await timed(() => directPlain(asm)));
        plainEndpoint.push(await timed(() => endpointPlain(target)));
      } else {
        plainEndpoint.push(await timed(() => endpointPlain(target)));
        plainDirect.push(await timed(() => directPlain(asm)));
      }
      const [directFirst, directEnd] = await directStream(asm);
      const [endpointFirst, endpointEnd] = await endpointStream(target);
      firstDirect.push(directFirst);
      streamDirect.push(directEnd);
      firstEndpoint.push(endpointFirst);
      streamEndpoint.push(endpointEnd);
    }
    log(`endpoint: ${requests} plain and ${requests} streamed requests, each paired with a direct call`);
    const directPerSecond = await perSecond(clients, concurrentRequests, () => directPlain(asm));
    const endpointPerSecond = await perSecond(clients, concurrentRequests, () => endpointPlain(target));
    log(`endpoint: ${concurrentRequests} requests at ${clients} clients each way`);
    const pair = (direct: number[], endpoint: number[]) => {
      const d = percentiles(direct);
      const e = percentiles(endpoint);
      return { direct: d, endpoint: e, addedMedianMs: e.p50 - d.p50, addedP99Ms: e.p99 - d.p99 };
    };
    const first = pair(firstDirect, firstEndpoint);
    return {
      requests,
      plain: pair(plainDirect, plainEndpoint),
      streaming: pair(streamDirect, streamEndpoint),
      firstToken: { direct: first.direct, endpoint: first.endpoint, addedMedianMs: first.addedMedianMs },
      concurrency: { clients, requests: concurrentRequests, directPerSecond, endpointPerSecond, ratio: endpointPerSecond / directPerSecond },
    };
  } finally {
    await server.close();
    await asm.dispose();
  }
}
