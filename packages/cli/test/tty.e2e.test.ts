import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { findClaudeBinary } from "../src/demo/claude-binary.js";
import { planIsolation } from "../src/demo/isolation.js";
import { isAlive, processesWithMarker, shellQuote, TmuxTerminal } from "./tmux.js";

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..");
const TRANSCRIPT = join(PACKAGE, "transcripts", "demo-claude.jsonl");
// The binary from source, as a user's shell would start it.
const ASM = `node --conditions=@asm/source --import tsx ${shellQuote(join(PACKAGE, "src", "bin", "asm.ts"))}`;

/** The Claude Code version this package pins (its devDependency), which the demo must report. */
function pinnedClaudeVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  return manifest.devDependencies["@anthropic-ai/claude-code"]!;
}

let term: TmuxTerminal;
let dir: string;
let marker: string;

beforeEach(() => {
  // Without tmux these tests check nothing: fail rather than pass.
  expect(TmuxTerminal.available(), "tmux is required at /usr/bin/tmux").toBe(true);
  term = new TmuxTerminal();
  dir = mkdtempSync(join(tmpdir(), "asm-tty-"));
  marker = `ASM_TTY_TEST_${process.pid}_${Date.now()}`;
});

afterEach(() => {
  term.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `asm <args>` in the pane; the exit code lands in `exit` (the shell survives Ctrl-C). */
function startAsm(args: string, env: Record<string, string>): void {
  const exitFile = join(dir, "exit");
  term.start(`cd ${shellQuote(PACKAGE)}; trap 'true' INT; ${ASM} ${args}; echo $? > ${shellQuote(exitFile)}; sleep 60`, { ...env, ASM_TTY_MARKER: marker });
}

async function exitCode(timeoutMs = 30_000): Promise<number> {
  const file = join(dir, "exit");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8").trim();
      if (text !== "") return Number(text);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`asm did not exit; screen:\n${term.screen()}`);
}

const FAKE_CLAUDE = join(PACKAGE, "test", "fake-claude.mjs");
const fakeClaudeEnv = (delayMs: number) => ({ FAKE_CLAUDE_STATE: join(dir, "sessions"), FAKE_CLAUDE_DELAY_MS: String(delayMs) });

const claudeScenario = (delayMs: number) =>
  fakeCliEnv({ mode: "replay", transcript: TRANSCRIPT, delayMs, version: "2.1.329", pidFile: join(dir, "cli.pid") });

describe("asm run in a terminal", () => {
  it("renders the run live with a status line, then the summary, and exits 0", async () => {
    startAsm(`run "Run echo in the shell" --provider claude --cli-path ${shellQuote(fakeCliPath())}`, claudeScenario(40));
    const during = await term.waitFor(/claude · \d+(\.\d)?s · turn \d+ · tk \d+\/\d+ · \$/);
    expect(during).toMatch(/^r\+ claude/m);
    const after = await term.waitFor(/✔ completed/);
    expect(await exitCode()).toBe(0);
    const screen = term.screen();
    expect(screen).toContain(">> I'll run that command in the shell.");
    expect(screen).toContain('t+Bash {"command":"echo hello from a real tool call","description":"Print a greeting"}');
    expect(screen).toContain("t-toolu_fake_1 hello from a real tool call");
    expect(screen).toMatch(/>> The command printed: "hello from a real tool call"/);
    expect(screen).toMatch(/r-:end tk:\d+\/\d+ \$0\.\d+ turns:2/);
    expect(after).toMatch(/✔ completed · [\d.]+s · tokens \d+ in \/ \d+ out · cost \$0\.\d+ · session [0-9a-f-]{36}/);
    // The status line is gone once the run is over.
    expect(screen).not.toMatch(/claude · \d+(\.\d)?s · (turn \d+ · )?tk/);
  });

  it("interrupts the run on Ctrl-C, exits 130 and leaves no CLI process behind", async () => {
    startAsm(`run "Run echo in the shell" --provider claude --cli-path ${shellQuote(fakeCliPath())}`, claudeScenario(250));
    await term.waitFor(/>> I'll/);
    const pidFile = join(dir, "cli.pid");
    expect(existsSync(pidFile)).toBe(true);
    const cliPid = Number(readFileSync(pidFile, "utf8").trim());
    expect(isAlive(cliPid)).toBe(true);
    term.keys("C-c");
    const screen = await term.waitFor(/■ interrupted/);
    expect(await exitCode()).toBe(130);
    expect(screen).toContain("asm: interrupting the run (Ctrl-C again to force)");
    expect(screen).toMatch(/rc:interrupted/);
    expect(screen).not.toContain("✔ completed");
    expect(isAlive(cliPid)).toBe(false);
    // Nothing started for this run (asm, the CLI, anything the CLI spawned) is still running.
    expect(processesWithMarker(marker).filter((pid) => !isShell(pid))).toEqual([]);
  });

  it("does not let keys typed before an approval question answer it", async () => {
    startAsm(`run "Needs approval" --provider claude --cli-path ${shellQuote(FAKE_CLAUDE)}`, fakeClaudeEnv(1_500));
    await term.waitFor(/^r\+ claude/m);
    // Typed ahead, while the agent is still working: a "y" and Enter nobody answered a question with.
    term.keys("y", "Enter");
    const asked = await term.waitFor(/Allow\? \[y\/N\]\s*$/m);
    expect(asked).toContain("? Bash asks for approval");
    expect(asked).toContain("$ rm -rf build");
    // Shown once: the renderer's own approval line gives way to the question.
    expect(asked).not.toMatch(/^a\? /m);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(term.screen(), "the typed-ahead y answered the question").not.toMatch(/^a= /m);
    term.keys("Enter");
    await term.waitFor(/^a= \S+ deny/m);
    // The status line is back, below the answer, while the agent goes on (it is redrawn once the
    // question has let go of the terminal, which may be just after the answer is printed).
    const answered = await term.waitFor(/^a= \S+ deny[\s\S]*claude · \d+(\.\d)?s · (turn \d+ · )?tk/m);
    expect(answered).toMatch(/claude · \d+(\.\d)?s · (turn \d+ · )?tk/);
    const screen = await term.waitFor(/[✔!] completed|✖/);
    expect(screen).toContain("The tool was denied.");
    expect(screen).toContain("! completed with 1 approval denied");
    expect(await exitCode()).toBe(1);
  });

  it("allows on y typed after the question, even after an early Enter", async () => {
    startAsm(`run "Needs approval" --provider claude --cli-path ${shellQuote(FAKE_CLAUDE)}`, fakeClaudeEnv(1_000));
    await term.waitFor(/^r\+ claude/m);
    term.keys("Enter");
    await term.waitFor(/Allow\? \[y\/N\]\s*$/m);
    await new Promise((resolve) => setTimeout(resolve, 400));
    term.keys("y", "Enter");
    const screen = await term.waitFor(/✔ completed|✖/);
    expect(screen).toMatch(/^a= \S+ allow/m);
    expect(screen).toContain("The tool was allowed.");
    expect(await exitCode()).toBe(0);
  });

  it("runs the demo on a terminal and says what it runs", async () => {
    const real = findClaudeBinary() !== null && planIsolation().ok;
    // CI installs the pinned claude and runs as root, so the demo must use the real binary there.
    if (process.env.CI === "true") expect(real, "the real claude binary or a network namespace is unavailable").toBe(true);
    startAsm("demo", {});
    const screen = await term.waitFor(/✔ completed|✖|■/, 90_000);
    expect(await exitCode(90_000)).toBe(0);
    expect(screen).toContain(
      real ? `asm demo: real claude ${pinnedClaudeVersion()} against a local fake model server — no network, no credentials` : "asm demo: recorded transcript replayed by a fake CLI",
    );
    expect(screen).toContain("t+Bash");
    expect(screen).toContain("hello from a real tool call");
    expect(screen).toMatch(/tokens \d+ in \/ \d+ out · cost \$0\.\d+/);
  });
});

describe("asm chat in a terminal", () => {
  it("carries the conversation over turns, interrupts a turn on Ctrl-C and ends on Ctrl-D", async () => {
    startAsm(`chat --provider claude --cli-path ${shellQuote(FAKE_CLAUDE)}`, fakeClaudeEnv(1_500));
    await term.waitFor(/Ctrl-D ends the chat\.\n>\s*$/m);
    term.keys("Remember apple", "Enter");
    await term.waitFor(/this is the first turn\.[\s\S]*✔ completed[\s\S]*^>\s*$/m);
    term.keys("Which word?", "Enter");
    await term.waitFor(/before that: "Remember apple"\.[\s\S]*✔ completed[\s\S]*^>\s*$/m);
    // A slow turn, interrupted: the chat goes on.
    term.keys("Take your time", "Enter");
    await term.waitFor(/(^r\+ claude[\s\S]*){3}/m);
    term.keys("C-c");
    const after = await term.waitFor(/■ interrupted[\s\S]*^>\s*$/m);
    expect(after).toContain("asm: interrupting the run (Ctrl-C again to force)");
    term.keys("C-d");
    expect(await exitCode()).toBe(0);
  });
});

// The pane's own shell (and its `sleep`) carry the marker too; they are not the run's.
function isShell(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return /(^|\/)(sh|bash|dash|sleep)$/.test(cmd);
  } catch {
    return false;
  }
}
