import { Agent, request as httpRequest } from "node:http";
import type { AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeEvents, fakeProvider } from "@asm/testkit";
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
  /**
   * The endpoint's own cost, without a CLI: the same plain request against an in-process backend
   * that answers at once (the testkit's fake), so spawn jitter cannot hide it (ms).
   */
  inProcess: { requests: number; direct: Percentiles; endpoint: Percentiles; addedMedianMs: number; addedP99Ms: number };
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

/**
 * The bench's HTTP client: Node's `http` with keep-alive, body in the same write as the headers.
 * (`fetch` on Node 20 adds about 5 ms to every POST on loopback, with a bare `http` server too:
 * the client's cost, which would bury the endpoint's.)
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body`; resolves with the status, the whole text and when `marker` first appeared. */
function post(lease: Lease, body: unknown, marker: string): Promise<{ status: number; text: string; markerAtMs: number }> {
  const payload = JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(lease.url, { method: "POST", agent, headers: { ...lease.headers, "content-length": Buffer.byteLength(payload) } }, (res) => {
      let text = "";
      let markerAtMs = Number.NaN;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        if (Number.isNaN(markerAtMs) && text.includes(marker)) markerAtMs = performance.now() - start;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, markerAtMs }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

async function endpointPlain(lease: Lease): Promise<void> {
  const { status, text } = await post(lease, { model: MODEL, messages: [{ role: "user", content: PROMPT }] }, "");
  const body = JSON.parse(text) as { choices?: Array<{ message: { content: string } }> };
  if (status !== 200 || body.choices?.[0]?.message.content !== "OK") throw new Error(`endpoint answered ${status}: ${text}`);
}

/** A streamed request read through `[DONE]`: returns [time to the first content chunk, time to end]. */
async function endpointStream(lease: Lease): Promise<[number, number]> {
  const start = performance.now();
  const { status, text, markerAtMs } = await post(lease, { model: MODEL, messages: [{ role: "user", content: PROMPT }], stream: true }, '"content":"OK"');
  if (status !== 200 || !text.endsWith("data: [DONE]\n\n")) throw new Error(`the stream did not end with [DONE] (status ${status})`);
  return [markerAtMs, performance.now() - start];
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

/** Paired plain requests against an in-process backend: the endpoint's cost alone. */
async function inProcessOverhead(requests: number): Promise<EndpointReport["inProcess"]> {
  const provider = fakeProvider([{ emit: fakeEvents.delta("OK") }, { emit: fakeEvents.result("OK") }]);
  const asm = createAsm({ providers: [provider] });
  const server = await startEndpointServer({ asm });
  try {
    const lease = await server.ensureEndpoint({ modelPreference: { provider: "fake", id: "fake-model" } }, consumerManifest());
    const target: Lease = { url: `${lease.descriptor.baseUrl}/chat/completions`, headers: { ...lease.descriptor.headers, "content-type": "application/json" } };
    const direct: number[] = [];
    const endpoint: number[] = [];
    const query = () => asm.query("fake", PROMPT, { model: "fake-model" });
    const request = async () => {
      const { status } = await post(target, { messages: [{ role: "user", content: PROMPT }] }, "");
      if (status !== 200) throw new Error(`endpoint answered ${status}`);
    };
    for (let i = 0; i < 50; i += 1) {
      await query();
      await request();
    }
    for (let i = 0; i < requests; i += 1) {
      direct.push(await timed(query));
      endpoint.push(await timed(request));
    }
    const d = percentiles(direct);
    const e = percentiles(endpoint);
    return { requests, direct: d, endpoint: e, addedMedianMs: e.p50 - d.p50, addedP99Ms: e.p99 - d.p99 };
  } finally {
    await server.close();
    await asm.dispose();
  }
}

/**
 * Endpoint: the shell fake's minimal turn through `asm.query` / `asm.stream` directly and through
 * the endpoint (fetch on loopback, keep-alive), interleaved pair by pair so drift hits both; then
 * requests/s at `clients` concurrent clients each way; last the endpoint's cost alone, against an
 * in-process backend.
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
    const inProcess = await inProcessOverhead(requests * 10);
    log(`endpoint: ${requests * 10} requests against an in-process backend each way`);
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
      inProcess,
      concurrency: { clients, requests: concurrentRequests, directPerSecond, endpointPerSecond, ratio: endpointPerSecond / directPerSecond },
    };
  } finally {
    await server.close();
    await asm.dispose();
  }
}
