import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { codex } from "@asm/codex";
import { AsmError, type ProviderDefinition } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import { drainSession } from "../consumers/asm-stream.js";
import { readlineParseChild } from "../consumers/readline-parse.js";
import { ownCpuMs } from "../machine.js";
import { median, ratio } from "../stats.js";
import { recordedStream } from "../stream/recorded-stream.js";

/** The providers whose recorded streams run end to end next to Claude's. */
const PROVIDERS = [
  { provider: "codex", fixture: "codex-tool.jsonl", definition: () => codex() },
  { provider: "gemini", fixture: "gemini-tool.jsonl", definition: () => gemini() },
] as const satisfies ReadonlyArray<{ provider: string; fixture: string; definition: () => ProviderDefinition }>;

/** One consumer's figures on a provider's stream (medians over the repeats). */
interface ConsumerSample {
  wallMs: number;
  wallMsRuns: number[];
  /** CPU time of the bench process per run. */
  hostCpuMs: number;
  /** Lines parsed (readline) or events yielded (ASM). */
  items: number;
}

/** ASM against `readline + JSON.parse` on one provider's recorded shapes, through its fake CLI. */
export interface ProviderThroughputSample {
  provider: "codex" | "gemini";
  /** The recorded transcript stretched to the stream's length (`__fixtures__`). */
  fixture: string;
  lines: number;
  bytes: number;
  parse: ConsumerSample;
  asm: ConsumerSample;
  /** ASM lines/s ÷ readline+JSON.parse lines/s (wall time). */
  asmToParse: number;
  /** readline+JSON.parse host CPU ÷ ASM host CPU. */
  asmToParseByCpu: number;
}

const fakePath = (provider: string) => fileURLToPath(new URL(`../../bin/fake-${provider}.mjs`, import.meta.url));

/** The parse limit on this stream: the fake's stdout through readline and `JSON.parse`, nothing else. */
async function readlineParse(provider: string, file: string): Promise<number> {
  const child = spawn(process.execPath, [fakePath(provider)], { env: { ...process.env, BENCH_STREAM_FILE: file }, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end("Run the benchmark");
  child.stderr.resume();
  return (await readlineParseChild(child)).lines;
}

/** One ASM run over the same fake, on the provider's core lane. */
async function asmRun(asm: Asm, provider: string, file: string): Promise<number> {
  const { events, status } = await drainSession(asm, { provider, cliPath: fakePath(provider), env: { BENCH_STREAM_FILE: file }, autoResume: false });
  if (status !== "completed") throw new AsmError("runtime", `the ${provider} run ended ${status}`);
  return events;
}

/**
 * Codex and Gemini end to end: each provider's recorded stdout, stretched to `lines`, written by a
 * fake CLI as fast as the pipe takes it, read by `readline + JSON.parse` and by ASM on the
 * provider's core lane; one warm-up round each, then `repeats` rounds in alternating order.
 */
export async function benchProviderThroughput(lines: number, repeats: number, dir: string, log: (line: string) => void): Promise<ProviderThroughputSample[]> {
  const samples: ProviderThroughputSample[] = [];
  for (const { provider, fixture, definition } of PROVIDERS) {
    const stream = recordedStream(fixture, lines);
    const file = join(dir, `${provider}.jsonl`);
    writeFileSync(file, `${stream.lines.join("\n")}\n`);
    const asm = createAsm({ providers: [definition()] });
    const walls = { parse: [] as number[], asm: [] as number[] };
    const cpus = { parse: [] as number[], asm: [] as number[] };
    const items = { parse: 0, asm: 0 };
    const run = (variant: "parse" | "asm") => (variant === "parse" ? readlineParse(provider, file) : asmRun(asm, provider, file));
    try {
      await run("parse");
      await run("asm");
      for (let round = 0; round < repeats; round += 1) {
        for (const variant of round % 2 === 0 ? (["parse", "asm"] as const) : (["asm", "parse"] as const)) {
          const cpuBefore = ownCpuMs();
          const start = performance.now();
          items[variant] = await run(variant);
          walls[variant].push(performance.now() - start);
          cpus[variant].push(ownCpuMs() - cpuBefore);
        }
      }
    } finally {
      await asm.dispose();
    }
    if (items.parse !== stream.lines.length) throw new AsmError("runtime", `readline parsed ${items.parse} of ${stream.lines.length} ${provider} lines`);
    const sample = (variant: "parse" | "asm"): ConsumerSample => ({ wallMs: median(walls[variant]), wallMsRuns: walls[variant], hostCpuMs: median(cpus[variant]), items: items[variant] });
    const parse = sample("parse");
    const asmSample = sample("asm");
    const result: ProviderThroughputSample = {
      provider,
      fixture,
      lines: stream.lines.length,
      bytes: stream.bytes,
      parse,
      asm: asmSample,
      asmToParse: ratio(parse.wallMs, asmSample.wallMs),
      asmToParseByCpu: ratio(parse.hostCpuMs, asmSample.hostCpuMs),
    };
    log(`  ${provider}: ${result.lines} lines, parse ${parse.wallMs.toFixed(0)} ms, asm ${asmSample.wallMs.toFixed(0)} ms (${result.asmToParse.toFixed(2)}×, by CPU ${result.asmToParseByCpu.toFixed(2)}×)`);
    samples.push(result);
  }
  return samples;
}
