import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claude } from "@asm/claude";
import { AsmError } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { claudeSdkLane } from "@asm/sdk-claude";
import { drainSession } from "../consumers/asm-stream.js";
import { sdkQuery } from "../consumers/sdk-query.js";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";
import { ownCpuMs } from "../machine.js";
import type { BenchPreset } from "../presets.js";
import { median } from "../stats.js";
import { buildLineSet } from "../stream/line-set.js";

/** One consumer's figures over the repeats (medians). */
interface SdkLaneSample {
  wallMs: number;
  /** Host CPU per stream line, in microseconds. */
  cpuUsPerLine: number;
  /** Events (ASM) or messages (bare SDK) per second. */
  itemsPerSecond: number;
  items: number;
}

/** ASM's Claude SDK lane against a bare `query()` of the Claude Agent SDK, on the same stream. */
export interface SdkLaneReport {
  lines: number;
  repeats: number;
  /** The bare `query()`: the SDK's own cost. */
  bare: SdkLaneSample;
  /** `@asm/sdk-claude` through the kernel: the SDK plus ASM's events on top. */
  lane: SdkLaneSample;
  /** (lane CPU per line − bare CPU per line) ÷ bare CPU per line (goal < 0.10). */
  cpuOverhead: number;
}

async function laneRun(asm: Asm, scenario: FakeScenario): Promise<number> {
  const { events, status } = await drainSession(asm, { provider: "claude", lane: "sdk", cliPath: FAKE_CLAUDE_PATH, env: fakeEnv(scenario), includePartialMessages: true, autoResume: false });
  if (status !== "completed") throw new AsmError("runtime", `the SDK-lane run ended ${status}`);
  return events;
}

/**
 * The SDK lane's overhead: the fake claude writes the same prepared stream to a bare `query()` and
 * to ASM's Claude SDK lane (which runs that same `query()` underneath), one warm-up each, then
 * `repeats` alternating rounds; the figure is host CPU per line, the view least skewed by other load.
 */
export async function benchSdkLane(preset: BenchPreset, log: (line: string) => void): Promise<SdkLaneReport> {
  const set = buildLineSet({ lines: preset.throughput.lines });
  const dir = mkdtempSync(join(tmpdir(), "asm-bench-sdk-"));
  const file = join(dir, "stream.jsonl");
  writeFileSync(file, set.text);
  const scenario: FakeScenario = { mode: "stream", file };
  const lane = claudeSdkLane();
  const availability = await lane.probe();
  if (!availability.available) throw new AsmError("runtime", `the Claude SDK lane cannot load: ${availability.reason ?? ""}`);
  const asm = createAsm({ providers: [claude()], lanes: [lane] });
  const samples = { bare: { wall: [] as number[], cpu: [] as number[], items: 0 }, lane: { wall: [] as number[], cpu: [] as number[], items: 0 } };
  const once = async (which: "bare" | "lane"): Promise<number> => {
    if (which === "lane") return laneRun(asm, scenario);
    const result = await sdkQuery(scenario);
    if (!result.sawResult) throw new AsmError("runtime", "query() yielded no result message");
    return result.messages;
  };
  try {
    log(`sdk: ${set.lines} lines, ${preset.throughput.repeats} rounds, bare query() vs the Claude SDK lane`);
    await once("bare");
    await once("lane");
    for (let round = 0; round < preset.throughput.repeats; round += 1) {
      for (const which of round % 2 === 0 ? (["bare", "lane"] as const) : (["lane", "bare"] as const)) {
        const cpuBefore = ownCpuMs();
        const start = performance.now();
        samples[which].items = await once(which);
        samples[which].wall.push(performance.now() - start);
        samples[which].cpu.push(ownCpuMs() - cpuBefore);
      }
      log(`  round ${round + 1}: bare ${(samples.bare.wall.at(-1) ?? 0).toFixed(0)} ms, lane ${(samples.lane.wall.at(-1) ?? 0).toFixed(0)} ms`);
    }
  } finally {
    await asm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const sample = (which: "bare" | "lane"): SdkLaneSample => {
    const wallMs = median(samples[which].wall);
    return { wallMs, cpuUsPerLine: (median(samples[which].cpu) * 1000) / set.lines, items: samples[which].items, itemsPerSecond: (samples[which].items * 1000) / wallMs };
  };
  const bare = sample("bare");
  const laneSample = sample("lane");
  return { lines: set.lines, repeats: preset.throughput.repeats, bare, lane: laneSample, cpuOverhead: (laneSample.cpuUsPerLine - bare.cpuUsPerLine) / bare.cpuUsPerLine };
}
