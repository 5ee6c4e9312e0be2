import { usageError } from "../exit-codes.js";
import { parseDuration } from "./duration.js";
import { booleanFlag, parseFlags, stringFlag, stringListFlag, type FlagSpec } from "./parse-flags.js";
import { ollamaOptionsFromFlags, sshSurfaceFromFlags } from "./surface-flags.js";

/** The flags of `asm run`. */
export const RUN_FLAGS: FlagSpec = {
  provider: { type: "string" },
  model: { type: "string" },
  "permission-mode": { type: "string" },
  "danger-full-access": { type: "boolean" },
  lane: { type: "string" },
  cwd: { type: "string" },
  resume: { type: "string" },
  "cli-path": { type: "string" },
  timeout: { type: "string" },
  "idle-timeout": { type: "string" },
  "ssh-host": { type: "string" },
  "ssh-user": { type: "string" },
  "ssh-port": { type: "string" },
  "ssh-identity-file": { type: "string" },
  "ssh-option": { type: "string", multiple: true },
  ollama: { type: "boolean" },
  "ollama-model": { type: "string" },
  "ollama-base-url": { type: "string" },
  "allow-tool": { type: "string", multiple: true },
  option: { type: "string", multiple: true },
  "max-turns": { type: "string" },
  "max-budget-usd": { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** Limits `asm` enforces on a run, whatever the provider: past one, the run is interrupted. */
export interface RunLimits {
  /** Model turns (null: no limit). */
  maxTurns: number | null;
  /** Known cost in USD (null: no limit). */
  maxBudgetUsd: number | null;
}

/** `--max-turns` when not given: generous for real work, a stop for an agent in a loop. */
const DEFAULT_MAX_TURNS = 50;

/** `--max-budget-usd` when not given. */
const DEFAULT_MAX_BUDGET_USD = 5;

/** Lanes `--lane` accepts. */
export const LANES = ["auto", "core", "sdk"] as const;

/** How `asm run` shows the run. */
export interface OutputOptions {
  /** JSONL events on stdout instead of rendered text. */
  json: boolean;
  /** One line per event with every field, raw and stderr events included. */
  verbose: boolean;
  /** False with `--no-color` (or `NO_COLOR`). */
  color: boolean;
}

/** A parsed `asm run` command line. */
export interface RunRequest {
  /** The prompt; null means "read it from stdin". */
  prompt: string | null;
  provider: string;
  /** Permission mode as given (normalized or a provider's native name); resolved against the provider later. */
  permissionMode: string | undefined;
  /** `--danger-full-access` was given. */
  dangerFullAccess: boolean;
  /** Session options: everything except the permission mode, which needs the provider to resolve. */
  sessionOptions: Record<string, unknown>;
  /** Options of the one run (the resume continuation). */
  runOptions: Record<string, unknown>;
  output: OutputOptions;
  /** `--allow-tool` names: approval requests for these tools (native names or kinds) are allowed without asking. */
  allowTools: string[];
  /** `--max-turns` and `--max-budget-usd` (null: `off`). */
  limits: RunLimits;
  /** `--option key=value` as given; read against the provider's schema by `optionsFromFlags`. */
  providerOptions: string[];
  help: boolean;
}

/**
 * Parses `asm run` arguments. Throws a usage error (exit code 2) for unknown flags, a missing
 * provider or prompt, bad durations, ports, lanes, or conflicting flags.
 *
 * @example
 * ```ts
 * parseRunArgs(["Fix the test", "--provider", "claude", "--timeout", "5m"], {});
 * ```
 */
export function parseRunArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RunRequest {
  const { values, positionals } = parseFlags(argv, RUN_FLAGS, "run");
  const output: OutputOptions = {
    json: booleanFlag(values, "json"),
    verbose: booleanFlag(values, "verbose"),
    color: !booleanFlag(values, "no-color") && (env.NO_COLOR ?? "") === "",
  };
  const help = booleanFlag(values, "help");
  const empty: RunRequest = { prompt: null, provider: "", permissionMode: undefined, dangerFullAccess: false, sessionOptions: {}, runOptions: {}, output, allowTools: [], limits: { maxTurns: DEFAULT_MAX_TURNS, maxBudgetUsd: DEFAULT_MAX_BUDGET_USD }, providerOptions: [], help };
  if (help) return empty;

  if (positionals.length > 1) {
    throw usageError(`asm run takes one prompt argument; quote it ("${positionals.join(" ")}")`);
  }
  const positional = positionals[0];
  const prompt = positional === undefined || positional === "-" ? null : positional;
  if (prompt !== null && prompt.trim() === "") throw usageError("the prompt is empty");

  const provider = stringFlag(values, "provider") ?? env.ASM_PROVIDER;
  if (provider === undefined || provider.trim() === "") {
    throw usageError("this command needs --provider (claude, codex, gemini or amp), or ASM_PROVIDER set");
  }

  const sessionOptions: Record<string, unknown> = {};
  const model = stringFlag(values, "model");
  if (model !== undefined) sessionOptions.model = model;

  const lane = stringFlag(values, "lane");
  if (lane !== undefined) {
    if (!(LANES as readonly string[]).includes(lane)) throw usageError(`--lane must be one of ${LANES.join(", ")} (got "${lane}")`, { flag: "--lane" });
    sessionOptions.lane = lane;
  }
  const cwd = stringFlag(values, "cwd");
  if (cwd !== undefined) sessionOptions.cwd = cwd;
  const cliPath = stringFlag(values, "cli-path");
  if (cliPath !== undefined) sessionOptions.cliPath = cliPath;

  const timeout = stringFlag(values, "timeout");
  if (timeout !== undefined) sessionOptions.wallTimeoutMs = parseDuration(timeout, "--timeout");
  const idle = stringFlag(values, "idle-timeout");
  if (idle !== undefined) {
    const idleMs = parseDuration(idle, "--idle-timeout");
    sessionOptions.idleTimeoutMs = idleMs;
    // The kernel's own gap watchdog must not fire before the CLI's idle watchdog it backs up.
    sessionOptions.streamTimeoutMs = idleMs + 30_000;
  }

  const surface = sshSurfaceFromFlags({
    sshHost: stringFlag(values, "ssh-host"),
    sshUser: stringFlag(values, "ssh-user"),
    sshPort: stringFlag(values, "ssh-port"),
    sshIdentityFile: stringFlag(values, "ssh-identity-file"),
    sshOptions: stringListFlag(values, "ssh-option"),
  });
  if (surface !== undefined) sessionOptions.executionSurface = surface;

  Object.assign(
    sessionOptions,
    ollamaOptionsFromFlags({
      ollama: booleanFlag(values, "ollama"),
      ollamaModel: stringFlag(values, "ollama-model"),
      ollamaBaseUrl: stringFlag(values, "ollama-base-url"),
    }),
  );

  const runOptions: Record<string, unknown> = {};
  const resume = stringFlag(values, "resume");
  if (resume !== undefined) {
    if (resume.trim() === "") throw usageError("--resume needs the provider session id to continue", { flag: "--resume" });
    runOptions.continuation = { strategy: "exact", providerSessionId: resume.trim() };
  }

  return {
    prompt,
    provider: provider.trim(),
    permissionMode: stringFlag(values, "permission-mode"),
    dangerFullAccess: booleanFlag(values, "danger-full-access"),
    sessionOptions,
    runOptions,
    output,
    allowTools: allowToolFlags(stringListFlag(values, "allow-tool")),
    limits: {
      maxTurns: limitFlag(stringFlag(values, "max-turns"), "--max-turns", DEFAULT_MAX_TURNS, true),
      maxBudgetUsd: limitFlag(stringFlag(values, "max-budget-usd"), "--max-budget-usd", DEFAULT_MAX_BUDGET_USD, false),
    },
    providerOptions: stringListFlag(values, "option") ?? [],
    help: false,
  };
}

function allowToolFlags(names: string[] | undefined): string[] {
  const tools = (names ?? []).flatMap((name) => name.split(",")).map((name) => name.trim());
  if (tools.some((name) => name === "")) throw usageError("--allow-tool needs a tool name (Bash, Edit, run_shell_command) or kind (shell, edit, read, …)", { flag: "--allow-tool" });
  return tools;
}

// A positive number (an integer for counts), or `off` for no limit.
function limitFlag(text: string | undefined, flag: string, fallback: number, integer: boolean): number | null {
  if (text === undefined) return fallback;
  const value = text.trim().toLowerCase();
  if (value === "off" || value === "none") return null;
  const number = Number(value);
  if (value === "" || !Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw usageError(`${flag} must be a positive ${integer ? "whole number" : "number"} or "off" (got "${text}")`, { flag });
  }
  return number;
}
