import { randomUUID } from "node:crypto";
import { claudeEnv, MARKER_VAR } from "./claude-env.js";
import { startFakeAnthropic, type FakeAnthropicServer } from "./fake-api.js";
import { processesWithEnv, waitUntilGone, type ProcessRow } from "./processes.js";
import { runCli, type CliRun } from "./run-cli.js";
import { createThrowawayDirs, type ThrowawayDirs } from "./throwaway-dirs.js";

/** Everything one real-claude test needs: a fake API, throwaway dirs, and a process marker. */
export interface ClaudeHarness {
  api: FakeAnthropicServer;
  dirs: ThrowawayDirs;
  /** Tags every process of this test (see {@link MARKER_VAR}). */
  marker: string;
  cliPath: string;
  /** The environment for a claude run in this harness. */
  env(options?: { maxRetries?: number; extra?: Record<string, string> }): Record<string, string>;
  /** Runs `claude <args>` to completion in the throwaway working directory. */
  run(args: string[], options?: { maxRetries?: number; stdin?: string; timeoutMs?: number }): Promise<CliRun>;
  /** Processes of this test still alive (waits up to `timeoutMs` for them to exit). */
  leftovers(timeoutMs?: number): Promise<ProcessRow[]>;
  /**
   * Kills whatever is left of this test's processes, closes the fake API and removes the
   * directories. Returns what had to be killed (empty when the test cleaned up after itself).
   */
  dispose(): Promise<ProcessRow[]>;
}

/** Starts a fake Anthropic server and creates throwaway directories for one test. */
export async function startClaudeHarness(cliPath: string): Promise<ClaudeHarness> {
  const api = await startFakeAnthropic();
  const dirs = await createThrowawayDirs("asm-e2e-claude-");
  const marker = randomUUID();
  const find = (): ProcessRow[] => processesWithEnv(MARKER_VAR, marker);
  const harness: ClaudeHarness = {
    api,
    dirs,
    marker,
    cliPath,
    env: (options = {}) => claudeEnv({ baseUrl: api.url, dirs, marker, ...options }),
    run: (args, options = {}) =>
      runCli(cliPath, {
        args,
        cwd: dirs.cwd,
        env: harness.env(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
        timeoutMs: options.timeoutMs ?? 60_000,
      }),
    leftovers: (timeoutMs = 5_000) => waitUntilGone(find, timeoutMs),
    async dispose() {
      const left = await waitUntilGone(find, 5_000);
      for (const row of left) {
        try {
          process.kill(row.pid, "SIGKILL");
        } catch (_error) {
          // Already gone.
        }
      }
      await api.close();
      await dirs.cleanup();
      return left;
    },
  };
  return harness;
}
