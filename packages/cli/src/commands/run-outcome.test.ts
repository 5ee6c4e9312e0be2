import { dirname, join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// The stand-in for Claude Code that asks for an approval and waits for the answer.
const FAKE_CLAUDE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "fake-claude.mjs");

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "asm-run-outcome-"));
  vi.stubEnv("FAKE_CLAUDE_STATE", state);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(state, { recursive: true, force: true });
});

async function asm(argv: string[], input = "") {
  const io = captureIo({}, input);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("asm run exit codes", () => {
  it("exits 1 when an approval was denied, and says so in the summary", async () => {
    const { code, out, err } = await asm(["run", "Needs approval", "--provider", "claude", "--cli-path", FAKE_CLAUDE]);
    expect(out).toContain("msg The tool was denied.");
    expect(out).toMatch(/^! completed with 1 approval denied · .* \(exit 1\)$/m);
    expect(err).toContain("use --allow-tool Bash or --permission-mode to pre-approve");
    expect(code).toBe(1);
  });

  it("exits 0 when --allow-tool pre-approved the tool, by native name or kind", async () => {
    for (const name of ["Bash", "shell"]) {
      const { code, out } = await asm(["run", "Needs approval", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--allow-tool", name]);
      expect(out).toMatch(/^a= \S+ allow$/m);
      expect(out).toContain("msg The tool was allowed.");
      expect(code).toBe(0);
    }
  });

  it("reports a usage error as one line, the synopsis and a pointer to --help, exit 2", async () => {
    const { code, err } = await asm(["run", "hi", "--provider", "claude", "--lane", "fast"]);
    expect(code).toBe(2);
    expect(err).toBe(
      'asm run: usage: --lane must be one of auto, core, sdk (got "fast")\nusage: asm run "<prompt>" --provider <claude|codex|gemini|amp> [flags]   (asm run --help lists every flag)\n',
    );
    const unknown = await asm(["frobnicate"]);
    expect(unknown.err.trim().split("\n")).toHaveLength(1);
    expect(unknown.code).toBe(2);
  });

  it("exits 8 for a permission mode the provider lacks", async () => {
    const { code, err } = await asm(["run", "hi", "--provider", "codex", "--permission-mode", "plan", "--cli-path", FAKE_CLAUDE]);
    expect(err).toContain("unsupported");
    expect(code).toBe(8);
  });
});

describe("asm run --json approvals from stdin", () => {
  it("takes a decision written as a JSON line once the request shows up", async () => {
    const io = captureIo({});
    const stdin = new PassThrough();
    io.stdin = stdin;
    let seen = "";
    io.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const request = seen
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { kind: string; payload: { approvalId?: string } })
        .find((event) => event.kind === "approval_requested");
      if (request?.payload.approvalId && !stdin.writableEnded) {
        stdin.end(`${JSON.stringify({ approve: request.payload.approvalId, decision: "allow" })}\n`);
      }
    });
    const code = await main(["run", "Needs approval", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--json"], io);
    const kinds = io.out().trim().split("\n").map((line) => JSON.parse(line) as { kind: string; payload: Record<string, unknown> });
    expect(kinds.find((event) => event.kind === "approval_resolved")?.payload.decision).toBe("allow");
    expect(kinds.find((event) => event.kind === "result")?.payload.text).toBe("The tool was allowed.");
    expect(code).toBe(0);
  });
});

describe("asm run limits and the summary", () => {
  const DEMO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "transcripts", "demo-claude.jsonl");
  const replay = (delayMs: number) => {
    for (const [key, value] of Object.entries(fakeCliEnv({ mode: "replay", transcript: DEMO, delayMs, version: "2.1.329" }))) vi.stubEnv(key, value);
  };

  it("stops a run past --max-turns and exits 1", async () => {
    replay(0);
    const { code, out } = await asm(["run", "Run echo", "--provider", "claude", "--lane", "core", "--cli-path", fakeCliPath(), "--max-turns", "1"]);
    expect(out).toMatch(/^✖ stopped after 1 turn \(--max-turns 1\) · .* \(exit 1\)$/m);
    expect(code).toBe(1);
  });

  it("stops a run past --max-budget-usd", async () => {
    replay(0);
    const { code, out } = await asm(["run", "Run echo", "--provider", "claude", "--lane", "core", "--cli-path", fakeCliPath(), "--max-budget-usd", "0.001"]);
    expect(out).toMatch(/^✖ stopped at \$0\.\d+, over the budget \(--max-budget-usd 0\.001\)/m);
    expect(code).toBe(1);
  });

  it("lets the same run finish with the defaults or with off, and rejects bad limits", async () => {
    replay(0);
    expect((await asm(["run", "Run echo", "--provider", "claude", "--cli-path", fakeCliPath()])).code).toBe(0);
    expect((await asm(["run", "Run echo", "--provider", "claude", "--cli-path", fakeCliPath(), "--max-turns", "off", "--max-budget-usd", "off"])).code).toBe(0);
    const bad = await asm(["run", "x", "--provider", "claude", "--max-turns", "1.5"]);
    expect(bad.err).toContain('--max-turns must be a positive whole number or "off" (got "1.5")');
    expect(bad.code).toBe(2);
    const help = await asm(["run", "--help"]);
    expect(help.out).toContain("--max-turns <n|off>          stop the run after n model turns (default 50)");
    expect(help.out).toContain("(default 5)");
  });

  it("reports the run's wall time, not the provider's shorter own duration", async () => {
    // 71 lines, 45 ms apart: at least 3.1 s on the wall, while the transcript's result says 2.2 s.
    replay(45);
    const { out } = await asm(["run", "Run echo", "--provider", "claude", "--cli-path", fakeCliPath()]);
    const seconds = Number(/✔ completed · ([\d.]+)s ·/.exec(out)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(3.1);
  });
});

describe("asm run --option", () => {
  it("passes provider options through, validated by the provider's schema", async () => {
    // --option maxTurns=1 reaches Claude's schema as a number: the same run works with it.
    const ok = await asm(["run", "Needs approval", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--option", "maxTurns=1", "--allow-tool", "Bash"]);
    expect(ok.code).toBe(0);
    const wrongType = await asm(["run", "x", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--option", "maxTurns=many"]);
    expect(wrongType.out + wrongType.err).toContain('invalid option "maxTurns" (--option maxTurns=…) for provider claude');
    expect(wrongType.code).toBe(3);
    const unknown = await asm(["run", "x", "--provider", "claude", "--option", "sandbox=read-only"]);
    expect(unknown.err).toContain('--option sandbox: claude has no option "sandbox"');
    expect(unknown.code).toBe(2);
  });

  it("prints hints as flags", async () => {
    const { err } = await asm(["run", "x", "--provider", "codex", "--permission-mode", "auto"]);
    expect(err).toContain("use --permission-mode default (optionally with --option sandbox=workspace-write)");
    expect(err).not.toContain('permissionMode "default"');
  });
});

describe("asm run --json with stderr on a terminal", () => {
  it("draws the status line on stderr and keeps stdout to the events", async () => {
    const io = captureIo({});
    Object.assign(io.stderr, { isTTY: true, columns: 100 });
    const code = await main(["run", "Say hi", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--json"], io);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/\S claude · [\d.]+m?s · turn 1 · tk \d+\/\d+/);
    expect(io.err()).toMatch(/✔ completed/);
    for (const line of io.out().trim().split("\n")) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe("asm run error lines", () => {
  it("name flags, not option keys", async () => {
    // No amp anywhere: the CLI's discovery fails inside the run, as an error event.
    vi.stubEnv("PATH", state);
    vi.stubEnv("HOME", state);
    const { out, code } = await asm(["run", "x", "--provider", "amp"]);
    expect(out).toMatch(/^! cli_not_found: amp not found\. .*Set AMP_CLI_PATH or --cli-path to its location/m);
    expect(out).not.toContain("cliPath option");
    expect(code).toBe(4);
  });
});
