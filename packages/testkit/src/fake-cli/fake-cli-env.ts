/** The behaviours of the fake CLI (`bin/fake-cli.mjs`). */
export const FAKE_CLI_MODES = [
  "replay",
  "crash",
  "hang",
  "garbage",
  "huge-line",
  "grandchild",
  "ignore-sigterm",
  "stdin-echo",
  "flood",
  "inspect",
  "version",
] as const;

/** One fake CLI mode. */
export type FakeCliMode = (typeof FAKE_CLI_MODES)[number];

/** Settings every mode understands. */
export interface FakeCliCommon {
  /** Version printed for `--version` (default `1.2.3`). */
  version?: string;
  /** File that gets one line appended per `--version` call (to count version checks). */
  versionLog?: string;
  /** Text written to stderr at start. */
  stderrText?: string;
  /** File that gets the CLI's pid appended at start. */
  pidFile?: string;
  /** Exit code when the mode exits (crash defaults to 137, the others to 0). */
  exitCode?: number;
}

/** A fake CLI scenario: a mode and its settings. */
export type FakeCliScenario = FakeCliCommon &
  (
    | {
        /** Write a recorded stdout file line by line, then optional stderr and exit code. */
        mode: "replay";
        transcript: string;
        stderrFile?: string;
        exitCodeFile?: string;
        delayMs?: number;
        /** Stay alive after the last line until stdin closes (Claude in stream-json input mode). */
        stayAlive?: boolean;
      }
    | {
        /** Write `lines` text lines, then die by `signal` or with `exitCode` (default 137). */
        mode: "crash";
        lines?: number;
        signal?: NodeJS.Signals;
        delayMs?: number;
      }
    | {
        /** Print nothing (or one text line) and never exit. */
        mode: "hang";
        textFirst?: string;
      }
    | {
        /** Non-JSON lines between valid ones, then a result. */
        mode: "garbage";
      }
    | {
        /** One text line of `bytes` characters (default 10 MB), then a result. */
        mode: "huge-line";
        bytes?: number;
      }
    | {
        /** A grandchild holding stdout open; the CLI prints a result and exits (or stays). */
        mode: "grandchild";
        stayAlive?: boolean;
        noResult?: boolean;
        /** Start the grandchild in a session and process group of its own (`setsid`). */
        grandchildLeavesGroup?: boolean;
      }
    | {
        /** Ignore SIGTERM and never exit; optionally print a result first. */
        mode: "ignore-sigterm";
        emitResult?: boolean;
      }
    | {
        /** Answer stdin lines; optionally ask for an approval first. */
        mode: "stdin-echo";
        approvalId?: string;
      }
    | {
        /** `lines` numbered text lines as fast as the pipe takes them, then a result. */
        mode: "flood";
        lines?: number;
        paddingBytes?: number;
      }
    | {
        /** Report argv, cwd, `showEnv` variables, file arguments' content and (optionally) stdin. */
        mode: "inspect";
        showEnv?: string[];
        readStdin?: boolean;
        stayAlive?: boolean;
      }
    | {
        /** Print the version and exit. */
        mode: "version";
      }
  );

function set(env: Record<string, string>, name: string, value: string | number | boolean | undefined): void {
  if (value === undefined || value === false) return;
  env[name] = value === true ? "1" : String(value);
}

/**
 * The environment variables that select a fake CLI scenario. Pass them as the run's extra
 * environment (the core lane's `backendOptions.env`).
 *
 * @example
 * ```ts
 * fakeCliEnv({ mode: "crash", lines: 3, exitCode: 1, stderrText: "Error: not authenticated" });
 * ```
 */
export function fakeCliEnv(scenario: FakeCliScenario): Record<string, string> {
  const env: Record<string, string> = { FAKE_CLI_MODE: scenario.mode };
  set(env, "FAKE_CLI_VERSION", scenario.version);
  set(env, "FAKE_CLI_VERSION_LOG", scenario.versionLog);
  set(env, "FAKE_CLI_STDERR_TEXT", scenario.stderrText);
  set(env, "FAKE_CLI_PID_FILE", scenario.pidFile);
  set(env, "FAKE_CLI_EXIT_CODE", scenario.exitCode);
  switch (scenario.mode) {
    case "replay":
      set(env, "FAKE_CLI_TRANSCRIPT", scenario.transcript);
      set(env, "FAKE_CLI_STDERR", scenario.stderrFile);
      set(env, "FAKE_CLI_EXIT_FILE", scenario.exitCodeFile);
      set(env, "FAKE_CLI_DELAY_MS", scenario.delayMs);
      set(env, "FAKE_CLI_STAY_ALIVE", scenario.stayAlive);
      break;
    case "crash":
      set(env, "FAKE_CLI_LINES", scenario.lines);
      set(env, "FAKE_CLI_CRASH_SIGNAL", scenario.signal);
      set(env, "FAKE_CLI_DELAY_MS", scenario.delayMs);
      break;
    case "hang":
      set(env, "FAKE_CLI_HANG_AFTER_TEXT", scenario.textFirst);
      break;
    case "huge-line":
      set(env, "FAKE_CLI_HUGE_BYTES", scenario.bytes);
      break;
    case "grandchild":
      set(env, "FAKE_CLI_STAY_ALIVE", scenario.stayAlive);
      set(env, "FAKE_CLI_NO_RESULT", scenario.noResult);
      set(env, "FAKE_CLI_GRANDCHILD_NEW_SESSION", scenario.grandchildLeavesGroup);
      break;
    case "ignore-sigterm":
      set(env, "FAKE_CLI_EMIT_RESULT", scenario.emitResult);
      break;
    case "stdin-echo":
      set(env, "FAKE_CLI_APPROVAL_ID", scenario.approvalId);
      break;
    case "flood":
      set(env, "FAKE_CLI_LINES", scenario.lines);
      set(env, "FAKE_CLI_PADDING", scenario.paddingBytes);
      break;
    case "inspect":
      set(env, "FAKE_CLI_SHOW_ENV", scenario.showEnv?.join(","));
      set(env, "FAKE_CLI_READ_STDIN", scenario.readStdin);
      set(env, "FAKE_CLI_STAY_ALIVE", scenario.stayAlive);
      break;
    case "garbage":
    case "version":
      break;
  }
  return env;
}
