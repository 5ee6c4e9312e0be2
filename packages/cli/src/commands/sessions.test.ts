import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// Session stores shaped as the pinned CLIs write them (claude 2.1.329, codex 0.169.0, gemini
// 0.61.0): the lines below are trimmed from files those CLIs wrote in a throwaway HOME against
// the testkit's fake model servers (the e2e test provider-sessions.test.ts reads the real ones).

let home: string;
let work: string;

function write(path: string, lines: unknown[], mtime: Date): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
  utimesSync(path, mtime, mtime);
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "asm-sessions-"));
  work = join(home, "work");
  mkdirSync(work);
  const projects = join(home, ".claude", "projects");
  write(
    join(projects, work.replace(/[^A-Za-z0-9]/g, "-"), "238b05ab-2aa9-493e-ae01-ecbed72c0689.jsonl"),
    [
      { type: "queue-operation", operation: "dequeue", timestamp: "2026-12-07T06:30:47.748Z", sessionId: "238b05ab-2aa9-493e-ae01-ecbed72c0689" },
      { parentUuid: null, type: "user", message: { role: "user", content: [{ type: "text", text: "Say OK please" }] }, cwd: work, sessionId: "238b05ab-2aa9-493e-ae01-ecbed72c0689" },
    ],
    new Date("2026-12-07T06:30:48Z"),
  );
  write(
    join(projects, "-elsewhere", "5b0c3d8e-0000-4000-8000-000000000001.jsonl"),
    [{ type: "user", message: { role: "user", content: "Elsewhere" }, cwd: "/elsewhere", sessionId: "5b0c3d8e-0000-4000-8000-000000000001" }],
    new Date("2026-12-07T07:00:00Z"),
  );
  write(
    join(home, ".codex", "sessions", "2026", "12", "07", "rollout-2026-12-07T06-32-09-01a24f33-e061-7ae2-b0ae-6ec59700d037.jsonl"),
    [
      { timestamp: "2026-12-07T06:32:09.600Z", type: "session_meta", payload: { id: "01a24f33-e061-7ae2-b0ae-6ec59700d037", cwd: work, cli_version: "0.169.0" } },
      { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>cwd</environment_context>" }] } },
      { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Fix the\n  failing test" }] } },
    ],
    new Date("2026-12-07T06:32:10Z"),
  );
  mkdirSync(join(home, ".gemini", "tmp", "work", "chats"), { recursive: true });
  writeFileSync(join(home, ".gemini", "tmp", "work", ".project_root"), work);
  write(
    join(home, ".gemini", "tmp", "work", "chats", "session-2026-12-07T06-32-9941776d.jsonl"),
    [
      { sessionId: "9941776d-91d1-4c7f-b0db-ae56dcb9f482", startTime: "2026-12-07T06:32:17.285Z", lastUpdated: "2026-12-07T06:32:17.285Z", kind: "main" },
      { $set: { messages: [{ id: "d049", type: "user", content: [{ text: "<session_context>\nThis is the Gemini CLI.</session_context>" }] }] } },
      { id: "d365", type: "user", content: [{ text: "Say OK please" }] },
      { id: "8e8f", type: "gemini", content: "OK" },
    ],
    new Date("2026-12-07T06:32:18Z"),
  );
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function io() {
  const captured = captureIo({ HOME: home });
  captured.cwd = work;
  return captured;
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, unknown>);

describe("asm sessions", () => {
  it("lists each provider's conversations of the current folder with id, cwd and first prompt", async () => {
    const claude = io();
    expect(await main(["sessions", "--provider", "claude", "--json"], claude)).toBe(0);
    expect(lines(claude.out())).toEqual([
      expect.objectContaining({ provider: "claude", id: "238b05ab-2aa9-493e-ae01-ecbed72c0689", label: "Say OK please", cwd: work, source: "claude-projects", updatedAt: "2026-12-07T06:30:48.000Z" }),
    ]);
    const codex = io();
    expect(await main(["sessions", "--provider", "codex", "--json"], codex)).toBe(0);
    expect(lines(codex.out())).toEqual([expect.objectContaining({ id: "01a24f33-e061-7ae2-b0ae-6ec59700d037", label: "Fix the failing test", cwd: work })]);
    const gemini = io();
    expect(await main(["sessions", "--provider", "gemini", "--json"], gemini)).toBe(0);
    expect(lines(gemini.out())).toEqual([expect.objectContaining({ id: "9941776d-91d1-4c7f-b0db-ae56dcb9f482", label: "Say OK please", cwd: work })]);
  });

  it("--all lists every folder's, newest first; --limit cuts the list", async () => {
    const all = io();
    expect(await main(["sessions", "--provider", "claude", "--all", "--json"], all)).toBe(0);
    expect(lines(all.out()).map((entry) => entry.label)).toEqual(["Elsewhere", "Say OK please"]);
    const one = io();
    expect(await main(["sessions", "--provider", "claude", "--all", "--limit", "1"], one)).toBe(0);
    expect(one.out()).toContain("5b0c3d8e-0000-4000-8000-000000000001");
    expect(one.out()).not.toContain("238b05ab");
  });

  it("says so when a folder has none, and refuses what it cannot list", async () => {
    const empty = io();
    expect(await main(["sessions", "--provider", "codex", "--cwd", "/nowhere"], empty)).toBe(0);
    expect(empty.err()).toContain("no codex conversations in /nowhere");
    const amp = io();
    expect(await main(["sessions", "--provider", "amp"], amp)).toBe(8);
    expect(amp.err()).toContain("amp keeps no session store");
    const missing = io();
    expect(await main(["sessions"], missing)).toBe(2);
    expect(missing.err()).toContain("--provider is required");
    const badLimit = io();
    expect(await main(["sessions", "--provider", "claude", "--limit", "0"], badLimit)).toBe(2);
  });
});
