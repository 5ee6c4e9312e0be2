import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// Distinctive values: a key in the host's environment, and one shaped like an Anthropic key that
// the CLI prints without ASM ever having seen it.
const HOST_KEY = "asm-cli-test-anthropic-9c41d7e2";
const SHAPED = "sk-ant-api03-ZyXwVuTsRqPoNmLkJiHg";

const scratch = mkdtempSync(join(tmpdir(), "asm-cli-redaction-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

function leakyCli(): void {
  const transcript = join(scratch, "stdout.jsonl");
  const stderr = join(scratch, "stderr.txt");
  writeFileSync(transcript, `not json: request with x-api-key ${HOST_KEY}\n`);
  writeFileSync(stderr, `Error: 401 invalid x-api-key ${HOST_KEY} (${SHAPED})\n`);
  vi.stubEnv("ANTHROPIC_API_KEY", HOST_KEY);
  for (const [key, value] of Object.entries(fakeCliEnv({ mode: "replay", transcript, stderrFile: stderr, exitCode: 1, version: "2.1.329" }))) {
    vi.stubEnv(key, value);
  }
}

describe("asm run never prints a secret", () => {
  it.each([[[]], [["--json"]], [["--verbose"]]])("with %j: not in stdout, not in stderr", async (flags: string[]) => {
    leakyCli();
    const io = captureIo({}, "");
    const code = await main(["run", "Say hi", "--provider", "claude", "--cli-path", fakeCliPath(), ...flags], io);
    const output = io.out() + io.err();
    expect(code).not.toBe(0);
    expect(output).not.toContain(HOST_KEY);
    expect(output).not.toContain(SHAPED);
    // The failure is still reported, with the key replaced.
    expect(output).toMatch(/REDACTED/);
  });
});
