import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { claudeBinary, isolation } from "./live-gate.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The TypeScript block under the README's "Quick start" heading, exactly as a reader copies it. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(ROOT, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error("README.md has no ```ts block under ## Quick start");
  return match[1]!;
}

describe("pnpm example <name>", () => {
  const example = (...args: string[]) =>
    spawnSync(process.execPath, ["--conditions=@asm/source", "--import", "tsx", join(ROOT, "src", "example.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  it("lists the examples, and refuses a name that is none", () => {
    const list = example();
    expect(list.status).toBe(0);
    expect(list.stderr).toContain("examples: live-query, live-session-lifecycle, live-stream, quickstart, run-all");
    const unknown = example("nope");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown example "nope"');
  });

  it("runs one by name with its flags", () => {
    const run = example("live-query", "--help");
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toContain("live-query");
  });
});

describe("the README's Quick start", () => {
  it("is the code `pnpm example quickstart` runs", () => {
    expect(readFileSync(join(ROOT, "src", "quickstart.ts"), "utf8")).toBe(readmeQuickStart());
  });

  const binary = claudeBinary();
  const unshare = isolation();
  const liveReason = binary === null ? "the claude binary is not installed" : unshare === null ? "no loopback-only network namespace can be created" : null;
  if (liveReason !== null) {
    // Must not pass silently: fail under CI, report the skip elsewhere.
    if (process.env.CI === "true") it("can run the real claude CLI", () => expect.fail(liveReason));
    else it.skipIf(true)(`runs against the real claude CLI (skipped: ${liveReason})`, () => undefined);
    return;
  }

  it("runs as written against the real claude CLI and a fake model server", () => {
    // Copied out of the README into this package (so @asm/core and @asm/claude resolve), unchanged.
    const dir = join(ROOT, "node_modules", ".cache", "readme-quickstart");
    mkdirSync(dir, { recursive: true });
    // An ES module, as in the reader's project (the code uses top-level await).
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    const script = join(dir, "quickstart.ts");
    writeFileSync(script, readmeQuickStart());
    const run = spawnSync(
      "unshare",
      [...unshare!, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", process.execPath, "--conditions=@asm/source", "--import", "tsx", join(ROOT, "test", "live-driver.ts"), script, binary!],
      { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    // The stream's run_completed, then the follow-up query's answer in the same conversation.
    expect(run.stdout).toMatch(/^run completed$/m);
    expect(run.stdout).toContain("Answer to: Now explain the fix in one sentence");
    expect(run.stderr).not.toMatch(/^\w+: /m);
  });
});
