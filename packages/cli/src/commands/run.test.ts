import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");
const RECORDED = join(HERE, "..", "__fixtures__", "cli-transcripts");

// The core lane hands this process's environment to the CLI, so the fake CLI's scenario goes there.
function scenario(value: FakeCliScenario): void {
  for (const [key, field] of Object.entries(fakeCliEnv({ version: "2.1.329", ...value }))) vi.stubEnv(key, field);
}

async function asm(argv: string[], input = "") {
  const io = captureIo({}, input);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const claudeRun = (...extra: string[]) => ["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), ...extra];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("asm run", () => {
  it("renders a claude session in compact form and exits 0", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const { code, out } = await asm(claudeRun());
    expect(out).toContain(">> I'll run that command in the shell.\n");
    expect(out).toContain('t+Bash {"command":"echo hello from a real tool call","description":"Print a greeting"}\n');
    expect(out).toContain("t-toolu_fake_1 hello from a real tool call\n");
    expect(out).toMatch(/r-:end tk:\d+\/\d+ \$0\.\d+ turns:2\n/);
    expect(out).toMatch(/✔ completed · .* · cost \$0\.\d+ · session [0-9a-f-]{36}\n/);
    expect(out).not.toContain("\u001b[");
    expect(code).toBe(0);
  });

  it("prints one JSON event per line with --json", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const { code, out, err } = await asm(claudeRun("--json"));
    expect(code).toBe(0);
    const events = out.trim().split("\n").map((line) => JSON.parse(line) as { kind: string; runId: string; sequence: number });
    expect(events[0]!.kind).toBe("run_started");
    expect(events.at(-1)!.kind).toBe("run_completed");
    expect(events.map((event) => event.kind)).toContain("tool_use");
    expect(new Set(events.map((event) => event.runId)).size).toBe(1);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index));
    expect(err).toMatch(/✔ completed/);
  });

  it("shows every event with --verbose", async () => {
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const { code, out } = await asm(claudeRun("--verbose"));
    expect(code).toBe(0);
    expect(out).toMatch(/^\[tool_use\] seq=\d+ toolName=Bash /m);
    expect(out).toMatch(/^\[result\] seq=\d+ /m);
    expect(out).toMatch(/--- \d+ events, 1 tools ---/);
  });

  it("reads the prompt from stdin when none is given", async () => {
    scenario({ mode: "inspect", readStdin: true });
    const io = captureIo({}, "prompt from a pipe\n");
    await main(["run", "--provider", "codex", "--lane", "core", "--cli-path", fakeCliPath(), "--json"], io);
    // The inspect mode reports what it read on stdin, where the codex profile writes the prompt.
    const reports = io
      .out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { raw?: { text?: string } })
      .map((event) => event.raw?.text)
      .filter((text): text is string => typeof text === "string" && text.startsWith("{"))
      .map((text) => JSON.parse(text) as { argv: string[]; stdin: string | null });
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]!.stdin).toContain("prompt from a pipe");
    expect(reports[0]!.argv.join(" ")).not.toContain("prompt from a pipe");
  });

  it("exits 5 on an authentication failure and says why", async () => {
    scenario({ mode: "replay", transcript: join(RECORDED, "claude", "error-401.jsonl"), exitCode: 1 });
    const { code, out } = await asm(claudeRun());
    expect(out).toMatch(/! auth_error: /);
    expect(out).toMatch(/✖ auth_error: .*\(exit 5\)/);
    expect(code).toBe(5);
  });

  it("exits 7 when the idle watchdog fires", async () => {
    scenario({ mode: "hang" });
    const { code, out } = await asm(claudeRun("--idle-timeout", "1s"));
    expect(out).toMatch(/! timeout: /);
    expect(code).toBe(7);
  });

  it("exits 4 when the CLI is not where --cli-path says", async () => {
    const { code, out, err } = await asm(["run", "hi", "--provider", "codex", "--cli-path", "/nonexistent/codex"]);
    expect(out + err).toContain("cli_not_found");
    expect(code).toBe(4);
  });

  it("exits 3 for an invalid option and 8 for one the provider cannot honour", async () => {
    const invalid = await asm(["run", "hi", "--provider", "gemini", "--cwd", "/nonexistent/asm-cwd", "--cli-path", fakeCliPath()]);
    expect(invalid.out + invalid.err).toContain("config_invalid");
    expect(invalid.code).toBe(3);
    const unsupported = await asm(["run", "hi", "--provider", "gemini", "--ollama", "--cli-path", fakeCliPath()]);
    expect(unsupported.out + unsupported.err).toContain("unsupported");
    expect(unsupported.code).toBe(8);
  });

  it("exits 2 with the usage for conflicting or unknown flags", async () => {
    for (const argv of [
      ["run", "hi", "--provider", "claude", "--danger-full-access", "--permission-mode", "default"],
      ["run", "hi", "--provider", "claude", "--permission-mode", "whatever"],
      ["run", "hi", "--provider", "claude", "--frobnicate"],
      ["run", "hi"],
    ]) {
      const { code, err } = await asm(argv);
      expect(err).toContain("usage: asm run");
      expect(code).toBe(2);
    }
    expect((await asm(["run", "hi", "--provider", "nobody"])).code).toBe(9);
  });

  it("denies approvals when there is no terminal to ask on, and says so", async () => {
    scenario({ mode: "replay", transcript: join(RECORDED, "claude", "control-allow.jsonl") });
    const { out, err } = await asm(claudeRun());
    expect(out).toMatch(/^a\? \S+ Bash /m);
    expect(err).toMatch(/approval \S+ \(Bash\) denied: no terminal to ask on/);
  });
});

describe("asm", () => {
  it("prints its usage and exits 2 without a command, 0 with --help", async () => {
    const bare = await asm([]);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain("usage:");
    const help = await asm(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("asm run");
    const unknown = await asm(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
  });

  it("prints each command's usage with --help", async () => {
    for (const command of ["run", "parse", "doctor", "providers", "demo"]) {
      const { code, out } = await asm([command, "--help"]);
      expect(code).toBe(0);
      expect(out).toContain(`asm ${command}`);
    }
  });
});
