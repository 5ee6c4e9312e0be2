import { spawn } from "node:child_process";

/** Options of {@link runCli}. */
export interface RunCliOptions {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Written to stdin, which is then closed; stdin is `/dev/null` when absent. */
  stdin?: string;
  /** The whole process group is killed after this long (default 60 s). */
  timeoutMs?: number;
}

/** How a CLI run ended and what it printed. */
export interface CliRun {
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The stdout lines that parsed as JSON objects, in order. */
  events: Array<Record<string, unknown>>;
}

/**
 * Runs a CLI to completion in its own process group (so a timeout can kill it together with the
 * tools it started) and collects its output.
 */
export function runCli(command: string, options: RunCliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // Anything the CLI left behind in its group goes too.
      killGroup(child.pid, "SIGKILL");
      resolve({ pid: child.pid ?? -1, exitCode, signal, timedOut, stdout, stderr, events: jsonLines(stdout) });
    });
  });
}

/** Sends `signal` to the process group led by `pid`, ignoring a group that is already gone. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (_error) {
    // ESRCH: nothing left in the group.
  }
}

/** The lines of `text` that parse as JSON objects. */
function jsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch (_error) {
      // Not JSON: kept in `stdout` only.
    }
  }
  return out;
}
