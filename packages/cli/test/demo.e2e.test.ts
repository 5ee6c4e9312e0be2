import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..");

function asm(...args: string[]) {
  const run = spawnSync(process.execPath, ["--conditions=@asm/source", "--import", "tsx", join(PACKAGE, "src", "bin", "asm.ts"), ...args], {
    cwd: PACKAGE,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("asm demo without a terminal", () => {
  it("replays the recorded session through the kernel and says so", () => {
    const { code, out, err } = asm("demo", "--replay");
    expect(code, err).toBe(0);
    expect(out).toContain("asm demo: recorded transcript replayed by a fake CLI");
    expect(out).toContain("why            --replay was given");
    expect(out).toContain(">> I'll run that command in the shell.");
    expect(out).toContain("t+Bash");
    expect(out).toContain("t-toolu_fake_1 hello from a real tool call");
    expect(out).toMatch(/✔ completed · .* · tokens \d+ in \/ \d+ out · cost \$0\.\d+/);
  });

  it("prints JSONL events with --json and keeps the header off stdout", () => {
    const { code, out, err } = asm("demo", "--replay", "--json");
    expect(code, err).toBe(0);
    const kinds = out.trim().split("\n").map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds[0]).toBe("run_started");
    expect(kinds).toContain("tool_result");
    expect(kinds).toContain("result");
    expect(kinds.at(-1)).toBe("run_completed");
    expect(err).toContain("asm demo: recorded transcript replayed by a fake CLI");
  });
});
