import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ulid } from "@asm/contract";
import { createAsm, rebuildRun, sessionIndex } from "@asm/core";
import { fakeCliPath, fakeEvents, fakeProvider } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

// Bundled by the global setup (test/build-writer.ts) from __fixtures__/restart-host.ts.
const HOST = fileURLToPath(new URL("../node_modules/.cache/crash-writer/restart-host.mjs", import.meta.url));
const TRANSCRIPT = fileURLToPath(new URL("./__fixtures__/one-turn.jsonl", import.meta.url));

/** True while `pid` is a live (not zombie) process. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a session survives a restart of its host", () => {
  it("restoreSession after SIGKILL: the in-flight run is ended once, its CLI is reaped, the next prompt resumes", { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const dbPath = join(dir, "asm.db");
    const stateDir = join(dir, "state");
    const pidFile = join(dir, "cli.pid");
    const readyFile = join(dir, "ready");
    const sessionId = ulid();
    const host = spawn(process.execPath, [HOST, dbPath, sessionId, stateDir, fakeCliPath(), TRANSCRIPT, pidFile, readyFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    host.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => host.on("exit", (code, signal) => resolve(signal ?? code)));
    await waitFor(() => existsSync(readyFile) || host.exitCode !== null, "the host to start its second run");
    expect(host.exitCode, stderr).toBeNull();
    const cliPid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    expect(running(cliPid)).toBe(true);

    host.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // The host died without a word: its CLI is an orphan, and the store holds no end for the run.
    expect(running(cliPid)).toBe(true);

    // The restarted host: a new process image of the runtime (here the test's own), same store.
    const store = await openSqliteStore({ path: dbPath });
    const provider = fakeProvider([{ emit: fakeEvents.result("resumed after restart") }], { name: "jsonl" });
    const asm = createAsm({ providers: [provider], config: { store, coreLane: { stateDir } } });
    const [before] = await sessionIndex(store);
    expect(before).toMatchObject({ sessionId, status: "running", providerSessionId: "sess-1" });
    const session = await asm.restoreSession(sessionId);
    expect(running(cliPid)).toBe(false);

    const [first, second] = before!.runs;
    const interrupted = await rebuildRun(store, sessionId, second!.runId);
    expect(interrupted.events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(interrupted.result.status).toBe("interrupted");
    expect((await rebuildRun(store, sessionId, first!.runId)).result).toMatchObject({ status: "completed", providerSessionId: "sess-1" });
    expect(session.checkpoint()?.providerSessionId).toBe("sess-1");

    const result = await session.query("and now?");
    expect(result.text).toBe("resumed after restart");
    expect(provider.backend.record.starts[0]?.continuation).toEqual({ strategy: "exact", providerSessionId: "sess-1" });
    await asm.dispose();
    const [after] = await sessionIndex(store);
    expect(after?.runs.map((run) => run.status)).toEqual(["completed", "interrupted", "completed"]);
    await store.close();
  });
});
