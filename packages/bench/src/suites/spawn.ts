import { execa } from "execa";
import { AsmError } from "@asm/contract";
import { createBenchAsm, sessionOptions } from "../consumers/asm-stream.js";
import { FAKE_CLAUDE_MINIMAL_PATH, FAKE_CLAUDE_PATH, OPENING_LINES, fakeEnv } from "../fake/fake-claude.js";
import { query } from "@anthropic-ai/claude-agent-sdk";
import type { BenchPreset } from "../presets.js";
import { median } from "../stats.js";

/** Which fake the spawn figures were taken with. */
type SpawnFake = "shell" | "node";

/** Spawn figures for one fake (medians, ms). */
interface SpawnSample {
  fake: SpawnFake;
  iterations: number;
  /** Bare `execa` spawn of the fake, opening lines written, to its first stdout byte. */
  bareFirstByteMs: number;
  /** `session.stream()` to the `run_started` event. */
  asmRunStartedMs: number;
  /** `session.stream()` to the first event made from the CLI's output (its first line). */
  asmFirstEventMs: number;
  /** `session.stream()` to `run_completed`. */
  asmCompletedMs: number;
  /** ASM first event − bare first byte: what the kernel adds to a spawn (goal < 5 ms). */
  asmOverheadMs: number;
  /** The first run of the runtime (it also runs the CLI's `--version` once): stream() to first event. */
  asmColdFirstEventMs: number;
  /** `query()` to its first message. */
  sdkFirstMessageMs: number;
  /** `query()` to the end of its generator. */
  sdkDoneMs: number;
  /** SDK first message − bare first byte. */
  sdkOverheadMs: number;
}

/** The spawn benchmark's figures. */
export type SpawnReport = SpawnSample[];

async function bareSpawn(command: string, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const child = execa(command, [], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore", buffer: false, reject: false });
  const firstByte = new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", () => resolve(performance.now() - start));
    child.once("error", reject);
  });
  child.stdin?.write(OPENING_LINES);
  const elapsed = await firstByte;
  child.stdout?.resume();
  child.stdin?.end();
  const result = await child;
  if (result.exitCode !== 0) throw new AsmError("transport_exit", `bare spawn of ${command} exited ${result.exitCode}`);
  return elapsed;
}

async function asmSpawn(asm: ReturnType<typeof createBenchAsm>, cliPath: string, env: Record<string, string>) {
  const session = await asm.startSession(sessionOptions({ cliPath, env }));
  const start = performance.now();
  let runStarted = Number.NaN;
  let firstEvent = Number.NaN;
  let status = "none";
  try {
    for await (const event of session.stream("Run the benchmark")) {
      const now = performance.now() - start;
      if (event.kind === "run_started") runStarted = now;
      // The first event made from the CLI's output (it carries the line as `raw`); the core lane's
      // own start record, passed on as a `raw` event without a line, does not count.
      else if (Number.isNaN(firstEvent) && event.raw !== undefined) firstEvent = now;
      if (event.kind === "run_completed") status = event.payload.status;
    }
  } finally {
    await asm.stopSession(session);
  }
  if (status !== "completed") throw new AsmError("runtime", `ASM run ended ${status}`);
  return { runStarted, firstEvent, completed: performance.now() - start };
}

async function sdkSpawn(cliPath: string, env: Record<string, string>) {
  const start = performance.now();
  let first = Number.NaN;
  let sawResult = false;
  for await (const message of query({ prompt: "Run the benchmark", options: { pathToClaudeCodeExecutable: cliPath, env: { ...process.env, ...env } } })) {
    if (Number.isNaN(first)) first = performance.now() - start;
    if (message.type === "result") sawResult = true;
  }
  if (!sawResult) throw new AsmError("runtime", "query() yielded no result message");
  return { first, done: performance.now() - start };
}

async function sampleFor(fake: SpawnFake, iterations: number): Promise<SpawnSample> {
  const cliPath = fake === "shell" ? FAKE_CLAUDE_MINIMAL_PATH : FAKE_CLAUDE_PATH;
  const env = fake === "shell" ? {} : fakeEnv({ mode: "minimal" });
  const bareEnv = { ...(process.env as Record<string, string>), ...env };
  // A fresh runtime per fake, so its first run is a cold one (version check included).
  const asm = createBenchAsm();
  const bare: number[] = [];
  const runStarted: number[] = [];
  const firstEvent: number[] = [];
  const completed: number[] = [];
  const sdkFirst: number[] = [];
  const sdkDone: number[] = [];
  try {
    const cold = await asmSpawn(asm, cliPath, env);
    await bareSpawn(cliPath, bareEnv);
    await sdkSpawn(cliPath, env);
    for (let i = 0; i < iterations; i += 1) {
      bare.push(await bareSpawn(cliPath, bareEnv));
      const run = await asmSpawn(asm, cliPath, env);
      runStarted.push(run.runStarted);
      firstEvent.push(run.firstEvent);
      completed.push(run.completed);
      const sdk = await sdkSpawn(cliPath, env);
      sdkFirst.push(sdk.first);
      sdkDone.push(sdk.done);
    }
    const bareFirstByteMs = median(bare);
    const asmFirstEventMs = median(firstEvent);
    const sdkFirstMessageMs = median(sdkFirst);
    return {
      fake,
      iterations,
      bareFirstByteMs,
      asmRunStartedMs: median(runStarted),
      asmFirstEventMs,
      asmCompletedMs: median(completed),
      asmOverheadMs: asmFirstEventMs - bareFirstByteMs,
      asmColdFirstEventMs: cold.firstEvent,
      sdkFirstMessageMs,
      sdkDoneMs: median(sdkDone),
      sdkOverheadMs: sdkFirstMessageMs - bareFirstByteMs,
    };
  } finally {
    await asm.dispose();
  }
}

/**
 * Spawn overhead, interleaved per iteration: a bare execa spawn, an ASM run, a `query()`, each of
 * the same fake; with the shell fake (starts in ~1 ms, so the kernel's share is visible) and the
 * Node fake.
 */
export async function benchSpawn(preset: BenchPreset, log: (line: string) => void): Promise<SpawnReport> {
  const report: SpawnReport = [];
  for (const fake of ["shell", "node"] as const) {
    const sample = await sampleFor(fake, fake === "shell" ? preset.spawn.iterations : preset.spawn.nodeIterations);
    log(
      `spawn (${fake} fake): bare ${sample.bareFirstByteMs.toFixed(2)} ms, ASM run_started ${sample.asmRunStartedMs.toFixed(2)} ms, ` +
        `first event ${sample.asmFirstEventMs.toFixed(2)} ms (overhead ${sample.asmOverheadMs.toFixed(2)} ms), SDK first message ${sample.sdkFirstMessageMs.toFixed(2)} ms`,
    );
    report.push(sample);
  }
  return report;
}
