import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// The stand-in for Claude Code that remembers the prompts of a session across `--resume`.
const FAKE_CLAUDE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "fake-claude.mjs");

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "asm-chat-"));
  vi.stubEnv("FAKE_CLAUDE_STATE", state);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(state, { recursive: true, force: true });
});

describe("asm chat without a terminal", () => {
  it("runs each stdin line as one turn of one conversation, printing every turn's events with --json", async () => {
    const io = captureIo({}, "Remember apple\n\nWhich word?\n");
    const code = await main(["chat", "--provider", "claude", "--cli-path", FAKE_CLAUDE, "--json"], io);
    expect(code).toBe(0);
    const events = io
      .out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; runId: string; providerSessionId?: string; payload: { text?: string } });
    const results = events.filter((event) => event.kind === "result");
    expect(results.map((event) => event.payload.text)).toEqual(['You said "Remember apple"; this is the first turn.', 'You said "Which word?"; before that: "Remember apple".']);
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(2);
    expect(new Set(events.map((event) => event.runId)).size).toBe(2);
    expect(new Set(results.map((event) => event.providerSessionId)).size).toBe(1);
    expect(io.err().match(/✔ completed/g)).toHaveLength(2);
  });

  it("renders each turn and exits with the code of a failed turn", async () => {
    const io = captureIo({}, "Needs approval\nhello\n");
    const code = await main(["chat", "--provider", "claude", "--cli-path", FAKE_CLAUDE], io);
    expect(io.out()).toContain("msg The tool was denied.");
    expect(io.out()).toContain('msg You said "hello"');
    expect(code).toBe(1);
  });

  it("takes no prompt argument", async () => {
    const io = captureIo({});
    expect(await main(["chat", "hello", "--provider", "claude"], io)).toBe(2);
    expect(io.err()).toContain("asm chat: usage: asm chat takes no prompt argument");
  });
});
