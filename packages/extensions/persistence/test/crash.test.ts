import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ulid } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { openStore, type DurableStore } from "../src/index.js";
import { freshSchema, PG_URL, postgresReachable, tempDir } from "./helpers.js";

// Real processes: a writer appends as fast as it can and is killed with SIGKILL at a random
// point; after each kill every event it recorded as acknowledged must be in the store, once,
// and the store must open cleanly. ASM_CRASH_ROUNDS lowers the count for a quick local run.
const ROUNDS = Number(process.env.ASM_CRASH_ROUNDS ?? 50);
// Bundled by the global setup (test/build-writer.ts) from __fixtures__/crash-writer.ts.
const WRITER = fileURLToPath(new URL("../node_modules/.cache/crash-writer/crash-writer.mjs", import.meta.url));

function readAcks(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  // The last id may be half-written when the kill lands inside writeSync: only whole lines count.
  return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((line) => line !== "");
}

/** Starts a writer, waits until it acknowledged something, kills it after a random delay. */
async function killWriterAtRandom(url: string, sessionId: string, ackLog: string): Promise<void> {
  const child = spawn(process.execPath, [WRITER, url, sessionId, ackLog], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const before = readAcks(ackLog).length;
  const deadline = Date.now() + 20_000;
  while (readAcks(ackLog).length === before) {
    if (child.exitCode !== null) throw new Error(`writer exited early (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`writer acknowledged nothing in 20 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 60)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

async function crashRounds(url: () => string): Promise<void> {
  const target = url();
  const ackLog = join(tempDir("asm-acks-"), "acks.log");
  const sessionId = ulid();
  let reopened: DurableStore | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    await killWriterAtRandom(target, sessionId, ackLog);
    reopened = await openStore(target);
    try {
      const stored = (await reopened.list(sessionId)).map((event) => event.id);
      const storedSet = new Set(stored);
      expect(storedSet.size).toBe(stored.length);
      const missing = readAcks(ackLog).filter((id) => !storedSet.has(id));
      expect(missing, `round ${round}: acknowledged events missing after SIGKILL`).toEqual([]);
    } finally {
      await reopened.close();
    }
  }
  expect(readAcks(ackLog).length).toBeGreaterThan(ROUNDS);
}

describe.concurrent("acknowledged events survive SIGKILL of the writer", { timeout: 600_000 }, () => {
  it("sqlite", async () => {
    const dir = tempDir();
    await crashRounds(() => `sqlite:${join(dir, "crash.db")}`);
  });

  it("file (JSONL)", async () => {
    const dir = tempDir();
    await crashRounds(() => `file:${dir}`);
  });

  it("postgres", async (context) => {
    if (!(await postgresReachable())) return context.skip("no PostgreSQL server on 127.0.0.1:5432");
    const schema = freshSchema();
    await crashRounds(() => `${PG_URL}?schema=${schema}`);
  });
});
