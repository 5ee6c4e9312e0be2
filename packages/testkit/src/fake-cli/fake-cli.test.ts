import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fakeCliEnv, FAKE_CLI_MODES } from "./fake-cli-env.js";
import { fakeCliPath } from "./fake-cli-path.js";

const scratch = mkdtempSync(join(tmpdir(), "asm-fake-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(env: Record<string, string>, args: string[] = [], input?: string) {
  const result = spawnSync(fakeCliPath(), args, { env: { ...process.env, ...env }, input, encoding: "utf8", timeout: 20_000 });
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  return { ...result, lines };
}

describe("fake CLI", { timeout: 30_000 }, () => {
  it("is an executable script", () => {
    expect(() => accessSync(fakeCliPath(), constants.X_OK)).not.toThrow();
    expect(readFileSync(fakeCliPath(), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("answers --version in any mode and logs each call", () => {
    const log = join(scratch, "versions.log");
    const result = run(fakeCliEnv({ mode: "hang", version: "1.9.0", versionLog: log }), ["--version"]);
    expect(result.stdout).toBe("fake-cli 1.9.0\n");
    expect(readFileSync(log, "utf8")).toBe("version\n");
  });

  it("replays a transcript with stderr and exit code files", () => {
    writeFileSync(join(scratch, "out.jsonl"), '{"type":"text","text":"a"}\n{"type":"result"}\n');
    writeFileSync(join(scratch, "err.txt"), "oops\n");
    writeFileSync(join(scratch, "exit"), "3\n");
    const result = run(
      fakeCliEnv({ mode: "replay", transcript: join(scratch, "out.jsonl"), stderrFile: join(scratch, "err.txt"), exitCodeFile: join(scratch, "exit"), delayMs: 1 }),
    );
    expect(result.lines).toEqual(['{"type":"text","text":"a"}', '{"type":"result"}']);
    expect(result.stderr).toBe("oops\n");
    expect(result.status).toBe(3);
  });

  it("crashes after some lines, by exit code or by signal", () => {
    const byCode = run(fakeCliEnv({ mode: "crash", lines: 2 }));
    expect(byCode.lines).toHaveLength(2);
    expect(byCode.status).toBe(137);
    const bySignal = run(fakeCliEnv({ mode: "crash", lines: 1, signal: "SIGKILL" }));
    expect(bySignal.signal).toBe("SIGKILL");
  });

  it("mixes garbage with valid lines, floods, and answers stdin", () => {
    expect(run(fakeCliEnv({ mode: "garbage" })).lines).toContain("this is not json");
    const flood = run(fakeCliEnv({ mode: "flood", lines: 500, paddingBytes: 1 }));
    expect(flood.lines).toHaveLength(501);
    const echo = run(fakeCliEnv({ mode: "stdin-echo" }), [], '{"type":"user","text":"finish"}\nhello\n');
    expect(echo.lines.map((line) => JSON.parse(line) as { text?: string }).map((event) => event.text)).toEqual([
      "ready",
      "echo: finish",
      "finished",
      "echo: hello",
    ]);
  });

  it("turns every scenario into FAKE_CLI_* variables", () => {
    expect(fakeCliEnv({ mode: "grandchild", stayAlive: true, noResult: false, grandchildLeavesGroup: true, exitCode: 4 })).toEqual({
      FAKE_CLI_MODE: "grandchild",
      FAKE_CLI_STAY_ALIVE: "1",
      FAKE_CLI_GRANDCHILD_NEW_SESSION: "1",
      FAKE_CLI_EXIT_CODE: "4",
    });
    expect(FAKE_CLI_MODES).toContain("ignore-sigterm");
  });
});
