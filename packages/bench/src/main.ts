import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AsmError } from "@asm/contract";
import { FULL, QUICK, TINY } from "./presets.js";
import { BENCH_SECTIONS, type BenchSection } from "./report/bench-report.js";
import { renderTable } from "./report/render-table.js";
import { runBench } from "./run-bench.js";

const USAGE = `pnpm bench [--quick | --tiny] [--only ${BENCH_SECTIONS.join(",")}] [--out <file>]

  --quick   smaller inputs, under a minute: a smoke check
  --tiny    the smallest inputs (the package's test)
  --only    run only these sections
  --out     where the JSON goes (default: bench-results/latest.json and
            bench-results/<preset>-<time>.json in this package)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      tiny: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const preset = values.tiny ? TINY : values.quick ? QUICK : FULL;
  let sections: BenchSection[] | undefined;
  if (values.only !== undefined) {
    sections = values.only.split(",").map((name) => name.trim()) as BenchSection[];
    const unknown = sections.filter((name) => !(BENCH_SECTIONS as readonly string[]).includes(name));
    if (unknown.length > 0) throw new AsmError("config_invalid", `unknown section(s): ${unknown.join(", ")}\n${USAGE}`);
  }
  const report = await runBench({ preset, ...(sections ? { sections } : {}), log: (line) => process.stderr.write(`${line}\n`) });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // By default every run is also kept under its own name, so `latest.json` of a quick smoke check
  // does not erase the last full run.
  const outputs = values.out !== undefined
    ? [resolve(values.out)]
    : [resolve("bench-results/latest.json"), resolve(`bench-results/${preset.name}-${report.startedAt.replace(/[:.]/g, "-")}.json`)];
  for (const out of outputs) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, json);
  }
  process.stdout.write(`${renderTable(report)}\n\nJSON: ${outputs.join(", ")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
