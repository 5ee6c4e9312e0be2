// `pnpm record:transcripts`: re-records what the real CLIs print (stdout, stderr, exit code, argv
// and the HTTP requests they make) for a table of scenarios against the fake model servers, into
// packages/e2e/transcripts/<cli>/<scenario>.*, with absolute paths replaced by placeholders.
// Run through scripts/run-isolated.mjs, so the CLIs see only the loopback interface.
//
//   pnpm record:transcripts [--only claude/text,claude/tool | --only codex] [--out <dir>]
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { networkIsolation } from "../src/isolation.js";
import { claudeTable } from "./claude-scenarios.js";
import { codexTable } from "./codex-scenarios.js";
import type { RecordableTable } from "./transcript-recorder.js";

const TABLES: RecordableTable[] = [claudeTable, codexTable];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: "string" }, out: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  const isolation = networkIsolation();
  if (!isolation.isolated && process.env.ASM_E2E_ALLOW_NETWORK !== "1") {
    console.error(`record-transcripts: ${isolation.reason ?? "not isolated"}`);
    return 1;
  }
  const outDir = resolve(values.out ?? join(dirname(fileURLToPath(import.meta.url)), "..", "transcripts"));
  const known = TABLES.flatMap((table) => table.scenarioNames.map((name) => `${table.cli}/${name}`));
  // A bare CLI name (`claude`) stands for all of its scenarios.
  const wanted =
    values.only === undefined
      ? null
      : new Set(
          values.only
            .split(",")
            .map((entry) => entry.trim())
            .flatMap((entry) => (entry.includes("/") ? [entry] : known.filter((name) => name.startsWith(`${entry}/`)).concat(TABLES.some((table) => table.cli === entry) ? [] : [entry]))),
        );
  const unknown = [...(wanted ?? [])].filter((entry) => !known.includes(entry));
  if (unknown.length > 0) {
    console.error(`record-transcripts: unknown scenarios ${unknown.join(", ")}; known: ${known.join(", ")}`);
    return 1;
  }
  for (const table of TABLES) {
    await table.record(outDir, (name) => wanted === null || wanted.has(`${table.cli}/${name}`), (line) => console.log(line));
  }
  console.log(`transcripts written to ${outDir}`);
  return 0;
}

process.exitCode = await main();
