import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// `asm run --route/--max-*/--deny-tool/--policy-action/--snapshot` and `asm rollback` in this
// process. The agents are the test kit's fake CLI replaying recorded transcripts; where two
// providers need different scenarios, each gets a small wrapper script (found through its
// CLI_PATH variable) that sets its scenario and starts the fake CLI.
const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");
const RECORDED = join(HERE, "..", "__fixtures__", "cli-transcripts");

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "asm-cli-ext-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function scenario(value: FakeCliScenario): void {
  for (const [key, field] of Object.entries(fakeCliEnv({ version: "2.1.329", ...value }))) vi.stubEnv(key, field);
}

/** A CLI wrapper: runs `before` (shell), then the fake CLI with `value` as its scenario. */
function wrapper(value: FakeCliScenario, before = ""): string {
  const path = join(tempDir(), "cli.sh");
  const exports = Object.entries(fakeCliEnv(value))
    .map(([key, field]) => `export ${key}='${field}'`)
    .join("\n");
  writeFileSync(path, `#!/bin/sh\n${exports}\n${before}\nexec "${process.execPath}" "${fakeCliPath()}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

async function asm(argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const events = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { kind: string; provider: string; payload: Record<string, unknown> });

const claudeRun = (...extra: string[]) => ["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), ...extra];

describe("asm run --route", () => {
  it("fails over from a provider answering 429 to the next one, with a warning naming the first", async () => {
    vi.stubEnv("CODEX_PATH", wrapper({ mode: "replay", transcript: join(RECORDED, "codex", "error-429.jsonl"), exitCode: 1, version: "0.169.0" }));
    vi.stubEnv("CLAUDE_CLI_PATH", wrapper({ mode: "replay", transcript: DEMO_TRANSCRIPT, version: "2.1.329" }));
    const { code, out } = await asm(["run", "Run echo in the shell", "--route", "codex,claude", "--lane", "core", "--json"]);
    const stream = events(out);
    const warning = stream.find((event) => event.kind === "warning" && event.payload.code === "routing.failover");
    expect(warning?.payload.message).toMatch(/^codex \(codex\) failed with rate_limit: .*running on claude/);
    expect(stream.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(stream.at(-1)).toMatchObject({ kind: "run_completed", provider: "claude", payload: { status: "completed" } });
    expect(code).toBe(0);
  });

  it("ends with the last provider's failure when every provider fails", async () => {
    vi.stubEnv("CODEX_PATH", wrapper({ mode: "replay", transcript: join(RECORDED, "codex", "error-429.jsonl"), exitCode: 1, version: "0.169.0" }));
    vi.stubEnv("CLAUDE_CLI_PATH", wrapper({ mode: "replay", transcript: join(RECORDED, "claude", "error-401.jsonl"), exitCode: 1, version: "2.1.329" }));
    const { code, out } = await asm(["run", "hi", "--route", "codex,claude", "--lane", "core"]);
    expect(out).toMatch(/routing\.failover|codex \(codex\) failed with rate_limit/);
    expect(out).toMatch(/✖ auth_error: .*\(exit 5\)/);
    expect(code).toBe(5);
  });

  it("rejects a bad route with one usage line naming --route (exit 2)", async () => {
    for (const argv of [
      ["run", "hi", "--route", "claude,nobody"],
      ["run", "hi", "--route", "claude,claude"],
      ["run", "hi", "--route", "claude,,codex"],
      ["run", "hi", "--route", "claude,codex", "--provider", "claude"],
      ["run", "hi", "--route", "claude,codex", "--resume", "abc"],
      ["run", "hi", "--route", "claude,codex", "--cli-path", "/bin/true"],
      ["run", "hi", "--route"],
    ]) {
      const { code, err } = await asm(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err.split("\n")[0], argv.join(" ")).toMatch(/^asm run: usage: .*--route/);
    }
  });
});

describe("asm run policy flags", () => {
  it("--deny-tool ends the run with guardrail_blocked when the agent calls that tool", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const { code, out } = await asm(claudeRun("--deny-tool", "Bash", "--json"));
    const stream = events(out);
    expect(stream.find((event) => event.kind === "guardrail_triggered")?.payload).toMatchObject({ rule: "tool_denied", action: "cancel" });
    expect(stream.filter((event) => event.kind === "error").map((event) => event.payload.code)).toEqual(["guardrail_blocked"]);
    expect(stream.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "failed" } });
    expect(code).toBe(1);
  });

  it("--policy-action warn reports the violation and lets the run finish", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const { code, out } = await asm(claudeRun("--deny-tool", "Read", "--deny-tool", "Bash", "--policy-action", "warn", "--json"));
    const stream = events(out);
    expect(stream.find((event) => event.kind === "guardrail_triggered")?.payload).toMatchObject({ rule: "tool_denied", action: "warn" });
    expect(stream.at(-1)).toMatchObject({ kind: "run_completed", payload: { status: "completed" } });
    expect(code).toBe(0);
  });

  it("--max-output-tokens and --max-cost-usd stop a run past its budget", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const tokens = await asm(claudeRun("--max-output-tokens", "1", "--json"));
    expect(events(tokens.out).find((event) => event.kind === "guardrail_triggered")?.payload).toMatchObject({ rule: "output_tokens", action: "cancel" });
    expect(tokens.code).toBe(1);
    const cost = await asm(claudeRun("--max-cost-usd", "0.000001", "--json"));
    expect(events(cost.out).find((event) => event.kind === "guardrail_triggered")?.payload).toMatchObject({ rule: "cost_usd" });
    expect(cost.code).toBe(1);
    // A budget the run stays within changes nothing.
    const within = await asm(claudeRun("--max-output-tokens", "100000", "--max-cost-usd", "50"));
    expect(within.code).toBe(0);
  });

  it("rejects bad policy values with one usage line naming the flag (exit 2)", async () => {
    for (const [argv, flag] of [
      [["--max-cost-usd", "-1"], "--max-cost-usd"],
      [["--max-cost-usd", "lots"], "--max-cost-usd"],
      [["--max-output-tokens", "1.5"], "--max-output-tokens"],
      [["--deny-tool", ""], "--deny-tool"],
      [["--deny-tool=Bash,"], "--deny-tool"],
      [["--policy-action", "explode", "--deny-tool", "Bash"], "--policy-action"],
      [["--policy-action", "warn"], "--policy-action"],
      [["--snapshot=yes"], "--snapshot"],
    ] as const) {
      const { code, err } = await asm(["run", "hi", "--provider", "claude", ...argv]);
      expect(code, argv.join(" ")).toBe(2);
      expect(err.split("\n")[0], argv.join(" ")).toContain(flag);
    }
  });
});

describe("asm run --snapshot, asm rollback", () => {
  function repo(): string {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "start");
    writeFileSync(join(dir, "kept.txt"), "before\n");
    git("add", "kept.txt");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "kept");
    return dir;
  }

  it("prints what the run changed and rolls it back", async () => {
    const dir = repo();
    // The agent's side effects: a new file and an edit, made by the CLI process in its cwd.
    const cli = wrapper({ mode: "replay", transcript: DEMO_TRANSCRIPT, version: "2.1.329" }, "echo new > added.txt; echo after > kept.txt");
    const { code, out } = await asm(["run", "Change things", "--provider", "claude", "--cli-path", cli, "--lane", "core", "--cwd", dir, "--snapshot"]);
    expect(code).toBe(0);
    const match = /^snapshot (\w+): 1 added, 1 modified, 0 deleted: \+added\.txt ~kept\.txt \(undo: asm rollback \1 --cwd (.+)\)$/m.exec(out);
    expect(match, out).not.toBeNull();
    expect(existsSync(join(dir, "added.txt"))).toBe(true);

    const undone = await asm(["rollback", match![1]!, "--cwd", dir]);
    expect(undone.code).toBe(0);
    expect(undone.out).toContain(`to snapshot ${match![1]}`);
    expect(existsSync(join(dir, "added.txt"))).toBe(false);
    expect(readFileSync(join(dir, "kept.txt"), "utf8")).toBe("before\n");
  });

  it("rollback: an unknown id is not_found (exit 9), a missing id is usage (exit 2)", async () => {
    const dir = repo();
    const unknown = await asm(["rollback", "01UNKNOWN", "--cwd", dir]);
    expect(unknown.code).toBe(9);
    expect(unknown.err).toContain("no snapshot 01UNKNOWN");
    const missing = await asm(["rollback", "--cwd", dir]);
    expect(missing.code).toBe(2);
    expect(missing.err.split("\n")[0]).toContain("needs the snapshot id");
    expect((await asm(["rollback", "../etc", "--cwd", dir])).code).toBe(2);
  });
});

describe("asm run --help", () => {
  it("shows every new flag and command", async () => {
    const run = await asm(["run", "--help"]);
    for (const flag of ["--store", "--session", "--route", "--max-cost-usd", "--max-output-tokens", "--deny-tool", "--policy-action", "--snapshot"]) expect(run.out).toContain(flag);
    const top = await asm(["--help"]);
    expect(top.out).toContain("asm history");
    expect(top.out).toContain("asm rollback");
    expect((await asm(["history", "--help"])).out).toContain("usage: asm history");
    expect((await asm(["rollback", "--help"])).out).toContain("usage: asm rollback");
  });
});
