// `pnpm cli:update [--provider <p>] [--dry-run] [--keep] [--rerecord] [--report <file>]`: looks up
// the registry's newest version of every pinned agent CLI and vendor SDK, bumps the pins,
// re-records the transcripts with the new binaries (against the test kit's fake model servers,
// in a loopback-only network namespace), diffs their JSON shapes against the earlier recordings,
// replays them through the parsers, runs the provider tests, and prints a report. When the report
// shows anything the parsers do not handle, every change is rolled back (unless `--keep`) and the
// exit code is 1: nothing is bumped silently.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadTranscript, transcriptNames } from "@asm/testkit";
import { latestVersion, run } from "./commands.js";
import { appearedWarnings, parserWarnings } from "./parser-replay.js";
import { bumpedSpec, findPins, widenedSupportedRange, withSpec } from "./pins.js";
import { formatReport, hasBump, unhandledReasons, type PackageUpdate, type ProviderReport, type ScenarioReport } from "./report.js";
import { diffShapes, isEmptyDiff, transcriptShapes } from "./shape-diff.js";
import { runVitest } from "./test-runs.js";
import { PROVIDERS, TRACKED, type ProviderId } from "./tracked.js";
import { isVersion } from "./semver.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const E2E_TRANSCRIPTS = "packages/e2e/transcripts";
const pinnedCopy = (provider: ProviderId): string => `packages/providers/${provider}/src/__fixtures__/pinned`;
const discoveryFile = (provider: ProviderId): string => `packages/providers/${provider}/src/internal/discovery.ts`;

/** Files and folders the run may change, saved first so a refused update can be undone. */
class Snapshot {
  private readonly files = new Map<string, string | null>();
  private readonly folders = new Map<string, string | null>();
  constructor(private readonly scratch: string) {}

  async file(path: string): Promise<void> {
    if (this.files.has(path)) return;
    const full = join(ROOT, path);
    this.files.set(path, existsSync(full) ? await readFile(full, "utf8") : null);
  }

  async folder(path: string): Promise<void> {
    if (this.folders.has(path)) return;
    const full = join(ROOT, path);
    if (!existsSync(full)) {
      this.folders.set(path, null);
      return;
    }
    const copy = join(this.scratch, "snapshot", path);
    await cp(full, copy, { recursive: true });
    this.folders.set(path, copy);
  }

  async restore(): Promise<void> {
    for (const [path, text] of this.files) {
      if (text === null) await rm(join(ROOT, path), { force: true });
      else await writeFile(join(ROOT, path), text);
    }
    for (const [path, copy] of this.folders) {
      await rm(join(ROOT, path), { recursive: true, force: true });
      if (copy !== null) await cp(copy, join(ROOT, path), { recursive: true });
    }
  }
}

function readExit(folder: string, name: string): string | undefined {
  try {
    return loadTranscript(folder, name).exitCode?.toString() ?? `signal ${loadTranscript(folder, name).signal ?? "?"}`;
  } catch (_error) {
    return undefined;
  }
}

/** Compares the new recordings of one CLI with the earlier ones, scenario by scenario. */
function compareRecordings(provider: ProviderId, cli: string, before: string, after: string): ScenarioReport[] {
  const names = (folder: string): string[] => (existsSync(folder) ? transcriptNames(folder) : []);
  const all = [...new Set([...names(before), ...names(after)])].sort();
  return all.map((name): ScenarioReport => {
    const old = names(before).includes(name) ? loadTranscript(before, name) : undefined;
    const now = names(after).includes(name) ? loadTranscript(after, name) : undefined;
    const scenario = `${cli}/${name}`;
    if (now === undefined) return { scenario, status: "gone", appeared: { raw: {}, schemaDrift: [] } };
    const shapes = (lines: string[]) => transcriptShapes(lines.flatMap((line) => { try { return [JSON.parse(line) as unknown]; } catch (_error) { return []; } }));
    const appeared = appearedWarnings(old === undefined ? undefined : parserWarnings(provider, old), parserWarnings(provider, now));
    const exitAfter = readExit(after, name);
    if (old === undefined) return { scenario, status: "new", appeared, ...(exitAfter === undefined ? {} : { exitAfter }) };
    const diff = diffShapes(shapes(old.lines), shapes(now.lines));
    const exitBefore = readExit(before, name);
    return { scenario, status: isEmptyDiff(diff) ? "unchanged" : "changed", diff, appeared, ...(exitBefore === undefined ? {} : { exitBefore }), ...(exitAfter === undefined ? {} : { exitAfter }) };
  });
}

async function lookUp(provider: ProviderId): Promise<PackageUpdate[]> {
  const updates: PackageUpdate[] = [];
  for (const pkg of TRACKED.filter((entry) => entry.provider === provider)) {
    const pins = findPins(ROOT, new Set([pkg.name]));
    const latest = await latestVersion(pkg.name, ROOT);
    updates.push({
      pkg,
      pinned: [...new Set(pins.map((pin) => pin.spec).filter(isVersion))].sort(),
      latest,
      bumps: pins.map((pin) => ({ ...pin, next: bumpedSpec(pin.spec, latest) })),
    });
  }
  return updates;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      provider: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      rerecord: { type: "boolean", default: false },
      report: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.provider !== undefined && !PROVIDERS.includes(values.provider as ProviderId)) {
    console.error(`cli:update: --provider must be one of ${PROVIDERS.join(", ")}, got ${JSON.stringify(values.provider)}`);
    return 2;
  }
  const providers = values.provider === undefined ? PROVIDERS : [values.provider as ProviderId];
  const reports: ProviderReport[] = [];
  for (const provider of providers) reports.push({ provider, updates: await lookUp(provider), scenarios: [], tests: [] });
  const date = new Date().toISOString().slice(0, 10);
  const mode = values["dry-run"] ? "dry run (registry look-up only)" : values.keep ? "update, keeping the changes whatever the verdict" : "update";

  if (!values["dry-run"]) {
    const scratch = await mkdtemp(join(tmpdir(), "asm-cli-update-"));
    const snapshot = new Snapshot(scratch);
    let refused = false;
    try {
      await snapshot.file("pnpm-lock.yaml");
      // 1. Bump the pins, then install the new versions.
      let bumped = false;
      for (const report of reports) {
        for (const bump of report.updates.flatMap((update) => update.bumps).filter((entry) => entry.next !== entry.spec)) {
          await snapshot.file(bump.file);
          const path = join(ROOT, bump.file);
          await writeFile(path, withSpec(await readFile(path, "utf8"), bump.name, bump.spec, bump.next));
          bumped = true;
        }
      }
      if (bumped) {
        console.error("cli:update: installing the new versions");
        const install = await run("pnpm", ["install", "--no-frozen-lockfile"], { cwd: ROOT });
        if (install.code !== 0) throw new Error(`pnpm install failed (exit ${String(install.code)})`);
      }
      // 2. Re-record, diff, replay; 3. test.
      for (const report of reports) {
        const cliUpdate = report.updates.find((update) => update.pkg.kind === "cli");
        const table = cliUpdate?.pkg.recorderTable;
        const cliBumped = cliUpdate !== undefined && cliUpdate.bumps.some((bump) => bump.next !== bump.spec);
        if (table === undefined) report.notRecorded = "the transcript recorder has no table for this CLI";
        else if (!cliBumped && !values.rerecord) report.notRecorded = "the CLI is already current (use --rerecord to record anyway)";
        else {
          const out = join(scratch, "recorded");
          console.error(`cli:update: re-recording the ${table} transcripts`);
          const recorded = await run("pnpm", ["--filter", "@asm/e2e", "record:transcripts", "--only", table, "--out", out], { cwd: ROOT });
          if (recorded.code !== 0) throw new Error(`record:transcripts failed (exit ${String(recorded.code)})`);
          report.scenarios = compareRecordings(report.provider, table, join(ROOT, E2E_TRANSCRIPTS, table), join(out, table));
          for (const folder of [`${E2E_TRANSCRIPTS}/${table}`, pinnedCopy(report.provider)]) {
            await snapshot.folder(folder);
            await rm(join(ROOT, folder), { recursive: true, force: true });
            await mkdir(join(ROOT, folder), { recursive: true });
            for (const file of await readdir(join(out, table))) await cp(join(out, table, file), join(ROOT, folder, file));
          }
        }
        if (hasBump(report) || values.rerecord) {
          console.error(`cli:update: running the ${report.provider} tests`);
          report.tests.push(await runVitest(ROOT, `packages/providers/${report.provider}`));
          if (report.updates.some((update) => update.pkg.kind === "sdk" && update.bumps.some((bump) => bump.next !== bump.spec))) {
            report.tests.push(await runVitest(ROOT, `packages/sdk/${report.provider}`));
          }
        }
        // 4. A handled new CLI version widens the profile's supported range.
        if (cliUpdate !== undefined && cliBumped && unhandledReasons(report).length === 0) {
          const file = discoveryFile(report.provider);
          const widened = widenedSupportedRange(await readFile(join(ROOT, file), "utf8"), cliUpdate.latest);
          if (widened !== null) {
            await snapshot.file(file);
            await writeFile(join(ROOT, file), widened.source);
            report.supportedRange = { file, from: widened.from, to: widened.to };
          }
        }
      }
      refused = reports.some((report) => hasBump(report) && unhandledReasons(report).length > 0);
    } catch (error) {
      // A failed step leaves nothing half-done behind.
      await snapshot.restore();
      await run("pnpm", ["install", "--frozen-lockfile"], { cwd: ROOT });
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
    try {
      if (refused && !values.keep) {
        console.error("cli:update: the report shows changes the parsers do not handle; rolling every change back");
        const kept = join(tmpdir(), `asm-cli-update-recordings-${Date.now()}`);
        if (existsSync(join(scratch, "recorded"))) await cp(join(scratch, "recorded"), kept, { recursive: true });
        await snapshot.restore();
        await run("pnpm", ["install", "--frozen-lockfile"], { cwd: ROOT });
        console.error(`cli:update: the new recordings are kept in ${kept}`);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  const text = formatReport(reports, { date, mode });
  console.log(text);
  if (values.report !== undefined) await writeFile(resolve(process.env.INIT_CWD ?? process.cwd(), values.report), `${text}\n`);
  return reports.some((report) => hasBump(report) && unhandledReasons(report).length > 0) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`cli:update: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
