import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import type { BenchReport } from "./report/bench-report.js";
import { BENCH_SECTIONS } from "./report/bench-report.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "asm-bench-test-"));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Every number in `value`, with its path; `null` (a NaN after JSON) is reported as NaN. */
function numbers(value: unknown, path = "$", out: Array<[string, number]> = []): Array<[string, number]> {
  if (value === null) out.push([path, Number.NaN]);
  else if (typeof value === "number") out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => numbers(item, `${path}[${i}]`, out));
  else if (typeof value === "object") for (const [key, item] of Object.entries(value)) numbers(item, `${path}.${key}`, out);
  return out;
}

// Plumbing only: the smallest inputs, every section, in a child process started the way
// `pnpm bench` starts it (`--expose-gc` for the memory section). No figure is compared with a
// speed: only that each one was measured.
describe("pnpm bench --tiny", () => {
  it("measures every figure and renders the table", async () => {
    const out = join(outDir, "tiny.json");
    const result = await execa(
      process.execPath,
      ["--conditions=@asm/source", "--import", "tsx", "--expose-gc", "src/main.ts", "--tiny", "--out", out],
      { cwd: packageDir, reject: false, all: true },
    );
    expect(result.exitCode, result.all).toBe(0);

    const report = JSON.parse(readFileSync(out, "utf8")) as BenchReport;
    for (const section of BENCH_SECTIONS) expect(report[section], section).toBeDefined();
    const all = numbers(report);
    expect(all.length).toBeGreaterThan(80);
    const notFinite = all.filter(([, value]) => !Number.isFinite(value)).map(([path]) => path);
    expect(notFinite).toEqual([]);
    expect(report.goals.map((goal) => goal.name)).toEqual([
      "throughput: ASM ÷ readline+JSON.parse",
      "throughput: ASM ÷ Claude Agent SDK",
      "throughput by host CPU/line: ASM ÷ readline+JSON.parse",
      "throughput by host CPU/line: ASM ÷ Claude Agent SDK",
      "throughput: codex stream, ASM ÷ readline+JSON.parse",
      "throughput by host CPU/line: codex stream, ASM ÷ readline+JSON.parse",
      "throughput: gemini stream, ASM ÷ readline+JSON.parse",
      "throughput by host CPU/line: gemini stream, ASM ÷ readline+JSON.parse",
      "latency: ASM p99 at 10k events/s",
      "latency: ASM p99 ÷ readline floor p99 at 10k events/s",
      "spawn: ASM overhead (median)",
      "memory: heap per idle session",
      "endpoint: added latency, plain request (median)",
      "endpoint: added latency, in-process backend (median)",
      "pubsub: local bus ÷ kernel alone",
      "pubsub: NATS ÷ kernel alone",
      "persistence: kernel+SQLite ÷ kernel alone",
      "remote: through a node ÷ local kernel",
      "remote: per-event latency through a node (p99)",
      "sdk: Claude SDK lane CPU/line over bare query()",
    ]);

    for (const heading of ["### Throughput", "### Parsers", "### Latency", "### Spawn", "### Memory", "### Concurrency", "### Endpoint", "### Extensions", "### Pub/sub", "### Persistence", "### Remote node", "### SDK lane", "### Goals"]) {
      expect(result.stdout).toContain(heading);
    }
    expect(report.latency?.map((entry) => entry.rounds)).toEqual([1, 1]);
    expect(result.stdout).toContain("p99 range");
    expect(result.stdout).toContain("ASM p99 ÷ floor p99 (median of paired rounds)");
    expect(result.stdout).toContain("ASM stream()");
    expect(result.stdout).toContain("Claude Agent SDK query()");
    expect(result.stdout).toContain(`JSON: ${out}`);
  });
});
