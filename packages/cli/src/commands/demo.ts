import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAsm } from "@asm/core";
import { painter } from "@asm/rendering";
import { fakeCliEnv, fakeCliPath, startFakeAnthropic } from "@asm/testkit";
import { booleanFlag, parseFlags } from "../args/parse-flags.js";
import type { OutputOptions } from "../args/run-args.js";
import { print, type CliIo } from "../io.js";
import { loadProviders } from "../providers.js";
import { DEMO_USAGE } from "../usage.js";
import { DEMO_CLAUDE_VERSION, findClaudeBinary, type ClaudeBinary } from "../demo/claude-binary.js";
import { claudeDemoEnv, createDemoDirs, isolatedEnv } from "../demo/demo-env.js";
import { DEMO_PROMPT, demoResponder } from "../demo/demo-model.js";
import { demoTranscriptPath } from "../demo/demo-transcript.js";
import { DEMO_STAGE_VAR, inLoopbackOnlyNamespace, planIsolation, reexecIsolated } from "../demo/isolation.js";
import { executeRun } from "./execute-run.js";

/** Which way the demo runs. */
type DemoMode = { kind: "real"; binary: ClaudeBinary } | { kind: "replay"; reason: string };

/**
 * `asm demo`: a real session through the whole kernel on a machine with no agent CLI and no
 * credentials. Preferably the real pinned `claude` binary against the testkit's fake Anthropic
 * server, both inside a loopback-only network namespace (the command re-executes itself under
 * `unshare -n`); otherwise a recorded transcript of that same session replayed by the testkit's
 * fake CLI. The screen says which.
 */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    argv,
    { replay: { type: "boolean" }, json: { type: "boolean" }, verbose: { type: "boolean" }, "no-color": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    "demo",
  );
  if (booleanFlag(values, "help")) {
    await print(io.stdout, DEMO_USAGE);
    return 0;
  }
  const output: OutputOptions = {
    json: booleanFlag(values, "json"),
    verbose: booleanFlag(values, "verbose"),
    color: !booleanFlag(values, "no-color") && (io.env.NO_COLOR ?? "") === "",
  };

  let mode: DemoMode;
  const binary = booleanFlag(values, "replay") ? null : findClaudeBinary();
  if (booleanFlag(values, "replay")) {
    mode = { kind: "replay", reason: "--replay was given" };
  } else if (binary === null) {
    mode = { kind: "replay", reason: `the claude binary is not installed (pnpm install adds @anthropic-ai/claude-code ${DEMO_CLAUDE_VERSION})` };
  } else if (io.env[DEMO_STAGE_VAR] === "inside") {
    // Re-executed under unshare: prove the isolation before running a real CLI.
    if (!inLoopbackOnlyNamespace()) {
      await print(io.stderr, "asm demo: expected a loopback-only network namespace, but other interfaces exist; refusing to run the real CLI\n");
      return 1;
    }
    mode = { kind: "real", binary };
  } else if (inLoopbackOnlyNamespace()) {
    mode = { kind: "real", binary };
  } else {
    const plan = planIsolation();
    if (plan.ok) return reexecIsolated(plan.unshareArgs, ["demo", ...argv], io.stdin.isTTY === true);
    mode = { kind: "replay", reason: plan.reason };
  }
  return mode.kind === "real" ? runReal(mode.binary, io, output) : runReplay(mode.reason, io, output);
}

async function header(io: CliIo, output: OutputOptions, title: string, facts: Array<[string, string]>): Promise<void> {
  const out = output.json ? io.stderr : io.stdout;
  const paint = painter(output.color && out.isTTY === true);
  const lines = [paint("bold", `asm demo: ${title}`), ...facts.map(([label, value]) => `  ${label.padEnd(14)} ${value}`), ""];
  await print(out, `${lines.join("\n")}\n`);
}

async function footer(io: CliIo, output: OutputOptions, exitCode: number): Promise<void> {
  const out = output.json ? io.stderr : io.stdout;
  const paint = painter(output.color && out.isTTY === true);
  const next =
    exitCode === 0
      ? "That session went through createAsm → session.stream → the core lane (its own process group, the Claude profile's parser) → the rendering extension.\nNext: `asm doctor` to see which agent CLIs you have, then `asm run \"<prompt>\" --provider <name>`."
      : `The demo ended with exit code ${exitCode}.`;
  await print(out, `\n${paint("dim", next)}\n`);
}

async function runReal(binary: ClaudeBinary, io: CliIo, output: OutputOptions): Promise<number> {
  const dirs = createDemoDirs();
  const server = await startFakeAnthropic({ respond: demoResponder });
  const providers = loadProviders();
  const asm = createAsm({ providers });
  try {
    await header(io, output, `real claude ${binary.version} against a local fake model server — no network, no credentials`, [
      ["claude binary", binary.path],
      ["model server", `${server.url} (fake Anthropic Messages API, in a loopback-only network namespace)`],
      ["home", `${dirs.home} (throwaway)`],
      ["prompt", DEMO_PROMPT],
    ]);
    const record = io.env[DEMO_RECORD_VAR];
    const session = await asm.startSession({
      provider: "claude",
      permissionMode: "bypass",
      includePartialMessages: true,
      cliPath: record ? recordingWrapper(dirs.root, binary.path, record) : binary.path,
      cwd: dirs.workDir,
      idleTimeoutMs: 60_000,
      wallTimeoutMs: 180_000,
      backendOptions: { env: isolatedEnv(process.env, claudeDemoEnv(dirs, server.url)) },
    });
    const outcome = await executeRun({ asm, stream: session.stream(DEMO_PROMPT), io, output, label: `claude ${binary.version}` });
    await footer(io, output, outcome.exitCode);
    return outcome.exitCode;
  } finally {
    await asm.dispose();
    await server.close();
    dirs.remove();
  }
}

/**
 * Set to a file path, the real demo also writes the CLI's stdout there (how
 * `transcripts/demo-claude.jsonl` is recorded: `pnpm --filter @asm/cli record:demo`).
 */
const DEMO_RECORD_VAR = "ASM_DEMO_RECORD";

// A wrapper that runs the real binary and copies its stdout to `file` (version checks excepted).
function recordingWrapper(dir: string, binary: string, file: string): string {
  const path = join(dir, "claude-recorder.sh");
  const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then exec ${quote(binary)} "$@"; fi\n${quote(binary)} "$@" | tee ${quote(file)}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function runReplay(reason: string, io: CliIo, output: OutputOptions): Promise<number> {
  const dirs = createDemoDirs();
  const transcript = demoTranscriptPath();
  const providers = loadProviders();
  const asm = createAsm({ providers });
  try {
    await header(io, output, "recorded transcript replayed by a fake CLI", [
      ["why", reason],
      ["transcript", `${transcript} (stdout of real claude ${DEMO_CLAUDE_VERSION} in this same demo)`],
      ["fake CLI", fakeCliPath()],
      ["prompt", DEMO_PROMPT],
    ]);
    const session = await asm.startSession({
      provider: "claude",
      permissionMode: "bypass",
      includePartialMessages: true,
      cliPath: fakeCliPath(),
      cwd: dirs.workDir,
      idleTimeoutMs: 60_000,
      backendOptions: {
        env: isolatedEnv(process.env, {
          HOME: dirs.home,
          TMPDIR: dirs.tmpDir,
          ...fakeCliEnv({ mode: "replay", transcript, delayMs: 12, version: DEMO_CLAUDE_VERSION }),
        }),
      },
    });
    const outcome = await executeRun({ asm, stream: session.stream(DEMO_PROMPT), io, output, label: "claude (replay)" });
    await footer(io, output, outcome.exitCode);
    return outcome.exitCode;
  } finally {
    await asm.dispose();
    dirs.remove();
  }
}
