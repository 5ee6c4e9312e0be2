import { dirname, join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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
