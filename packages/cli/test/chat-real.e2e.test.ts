import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findClaudeBinary } from "../src/demo/claude-binary.js";
import { planIsolation } from "../src/demo/isolation.js";

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..");
const binary = findClaudeBinary();
const plan = planIsolation();
const reason = binary === null ? "the pinned claude binary is not installed" : plan.ok ? null : plan.reason;

describe("asm chat with the real claude CLI", () => {
  if (reason !== null) {
    // Must not pass silently: fail under CI, report the skip elsewhere.
    if (process.env.CI === "true") it("can run the real claude CLI", () => expect.fail(reason));
    else it.skipIf(true)(`skipped: ${reason}`, () => undefined);
    return;
  }

  it("runs two turns of one conversation: the second turn's request carries the first", () => {
    const unshare = plan.ok ? plan.unshareArgs : [];
    const run = spawnSync(
      "unshare",
      [...unshare, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", process.execPath, "--conditions=@asm/source", "--import", "tsx", join(PACKAGE, "test", "chat-driver.ts"), binary!.path],
      { cwd: PACKAGE, encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { exitCode: number; stdout: string; stderr: string; requests: string[] };
    expect(report.exitCode, report.stderr).toBe(0);
    const events = report.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; providerSessionId?: string; payload: { text?: string } });
    const results = events.filter((event) => event.kind === "result");
    expect(results.map((event) => event.payload.text)).toEqual([
      "Heard: Remember the word apple. Earlier word: apple.",
      "Heard: Which word did I ask you to remember?. Earlier word: apple.",
    ]);
    expect(report.requests.at(-1)).toContain("Which word did I ask you to remember?");
    expect(new Set(results.map((event) => event.providerSessionId)).size).toBe(1);
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(2);
  });
});
