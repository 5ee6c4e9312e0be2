import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RecordedRequest } from "../src/fake-api.js";
import { runCli, type CliRun } from "../src/run-cli.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { applyPlaceholders, type Placeholder } from "../src/transcript-placeholders.js";

/** A fake model server as the recorder needs it. */
export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** What a scenario's callbacks get. */
export interface ScenarioContext {
  dirs: ThrowawayDirs;
  serverUrl: string;
  /** Earlier runs of this CLI's table, by scenario name. */
  previous: ReadonlyMap<string, CliRun>;
}

/** One recorded run of a CLI. */
interface Scenario<Server extends RecordingServer> {
  name: string;
  /** The CLI's arguments (without the program). */
  args(context: ScenarioContext): string[];
  /** Written to stdin, which is then closed (stdin is /dev/null otherwise). */
  stdin?: string;
  /** Bound on the CLI's retries, for error scenarios. */
  maxRetries?: number;
  /** Scripts the fake server's replies. */
  script?(server: Server): void;
  /** Reuse the directories (HOME, working directory…) of this earlier scenario, e.g. to resume it. */
  continues?: string;
}

/** How to run one CLI against its fake server. */
interface CliRecorder<Server extends RecordingServer> {
  /** Folder name under the output directory (`claude`). */
  cli: string;
  /** The binary to run, or null when it is not installed. */
  binary(): string | null;
  startServer(): Promise<Server>;
  /** The CLI's complete environment. */
  env(context: { dirs: ThrowawayDirs; serverUrl: string; maxRetries?: number }): Record<string, string>;
  /** Writes config files into the throwaway HOME before each run (codex, gemini). */
  prepareHome?(context: { dirs: ThrowawayDirs; serverUrl: string; maxRetries?: number }): Promise<void>;
  /** Absolute paths to hide in the recorded output, besides the throwaway directories. */
  extraPlaceholders?(dirs: ThrowawayDirs): Placeholder[];
}

/** A CLI and the scenarios recorded for it (one table per CLI). */
export interface CliTable<Server extends RecordingServer> {
  recorder: CliRecorder<Server>;
  scenarios: Array<Scenario<Server>>;
}

/** A table with its server type erased, so tables of different CLIs fit in one list. */
export interface RecordableTable {
  cli: string;
  scenarioNames: string[];
  record(outDir: string, only: (name: string) => boolean, log: (line: string) => void): Promise<void>;
}

/** Prepares a table for {@link RecordableTable.record}. */
export function defineCliTable<Server extends RecordingServer>(table: CliTable<Server>): RecordableTable {
  return {
    cli: table.recorder.cli,
    scenarioNames: table.scenarios.map((scenario) => scenario.name),
    record: (outDir, only, log) => recordTable(table, outDir, only, log),
  };
}

function basePlaceholders(dirs: ThrowawayDirs): Placeholder[] {
  return [
    { path: dirs.cwd, placeholder: "<WORKDIR>" },
    { path: dirs.home, placeholder: "<HOME>" },
    { path: dirs.tmpDir, placeholder: "<TMPDIR>" },
  ];
}

async function recordTable<Server extends RecordingServer>(
  table: CliTable<Server>,
  outDir: string,
  only: (name: string) => boolean,
  log: (line: string) => void,
): Promise<void> {
  const { recorder } = table;
  const binary = recorder.binary();
  if (binary === null) {
    log(`${recorder.cli}: binary not installed, skipped`);
    return;
  }
  const folder = join(outDir, recorder.cli);
  await mkdir(folder, { recursive: true });
  const dirsByScenario = new Map<string, ThrowawayDirs>();
  const previous = new Map<string, CliRun>();
  try {
    for (const scenario of table.scenarios) {
      // A continuing scenario needs its predecessor even when only it was asked for.
      const wanted = only(scenario.name) || table.scenarios.some((other) => other.continues === scenario.name && only(other.name));
      if (!wanted) continue;
      const reused = scenario.continues === undefined ? undefined : dirsByScenario.get(scenario.continues);
      const dirs = reused ?? (await createThrowawayDirs(`asm-rec-${recorder.cli}-`));
      dirsByScenario.set(scenario.name, dirs);
      const server = await recorder.startServer();
      try {
        // Before every run, also a continuing one: each run has its own server (and port).
        await recorder.prepareHome?.({ dirs, serverUrl: server.url, ...(scenario.maxRetries === undefined ? {} : { maxRetries: scenario.maxRetries }) });
        scenario.script?.(server);
        const context: ScenarioContext = { dirs, serverUrl: server.url, previous };
        const args = scenario.args(context);
        const run = await runCli(binary, {
          args,
          cwd: dirs.cwd,
          env: recorder.env({ dirs, serverUrl: server.url, ...(scenario.maxRetries === undefined ? {} : { maxRetries: scenario.maxRetries }) }),
          ...(scenario.stdin === undefined ? {} : { stdin: scenario.stdin }),
          timeoutMs: 120_000,
        });
        previous.set(scenario.name, run);
        const placeholders = [...basePlaceholders(dirs), ...(recorder.extraPlaceholders?.(dirs) ?? [])];
        const clean = (text: string): string => applyPlaceholders(text, placeholders);
        const base = join(folder, scenario.name);
        const exit = run.signal === null ? String(run.exitCode) : `signal ${run.signal}`;
        await Promise.all([
          writeFile(`${base}.jsonl`, clean(run.stdout)),
          writeFile(`${base}.stderr.txt`, clean(run.stderr)),
          writeFile(`${base}.exit`, `${exit}\n`),
          writeFile(`${base}.argv.json`, `${clean(JSON.stringify(args))}\n`),
          writeFile(`${base}.requests.txt`, server.requests.map((request) => `${request.method} ${request.url}\n`).join("")),
        ]);
        log(`${recorder.cli}/${scenario.name}: exit ${exit}, ${run.events.length} events, ${server.requests.length} requests${run.timedOut ? " (TIMED OUT)" : ""}`);
      } finally {
        await server.close();
      }
    }
  } finally {
    await Promise.all([...new Set(dirsByScenario.values())].map((dirs) => dirs.cleanup()));
  }
}
