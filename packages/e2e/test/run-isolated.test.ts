import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { networkIsolation } from "../src/isolation.js";
import { describeRealCli } from "../src/real-cli-gate.js";

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), "..", "scripts", "run-isolated.mjs");
const emptyPath = mkdtempSync(join(tmpdir(), "asm-e2e-nopath-"));

afterAll(() => rmSync(emptyPath, { recursive: true, force: true }));

/** Runs the runner with a PATH where `unshare` cannot be found and no isolation inherited. */
function runWithoutUnshare(env: Record<string, string>, ...command: string[]) {
  const { ASM_E2E_ISOLATION: _isolation, ASM_E2E_ISOLATION_REASON: _reason, CI: _ci, ...inherited } = process.env;
  return spawnSync(process.execPath, [RUNNER, ...command], { encoding: "utf8", env: { ...inherited, PATH: emptyPath, ...env } });
}

describe("run-isolated.mjs without unshare", () => {
  it("fails under CI=true with the reason", () => {
    const run = runWithoutUnshare({ CI: "true" }, process.execPath, "-e", "console.log('ran')");
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("ran");
    expect(run.stderr).toMatch(/cannot create a loopback-only network namespace.*must run isolated under CI/s);
  });

  it("runs the command unisolated elsewhere, saying why, and passes its exit status on", () => {
    const run = runWithoutUnshare({}, process.execPath, "-e", "console.log(process.env.ASM_E2E_ISOLATION, process.env.ASM_E2E_ISOLATION_REASON); process.exit(7)");
    expect(run.status).toBe(7);
    expect(run.stdout).toMatch(/^none cannot create a loopback-only network namespace/);
    expect(run.stderr).toContain("WARNING");
  });
});

const isolation = networkIsolation();
describeRealCli("the isolated test process", { run: isolation.isolated, reason: isolation.reason }, () => {
  it("sees only the loopback interface and cannot reach any other address", async () => {
    expect(isolation.interfaces).toEqual(["lo"]);
    const failure = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const socket = connect({ host: "192.0.2.1", port: 80 });
      socket.once("connect", () => {
        socket.destroy();
        resolve(null);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    });
    expect(failure?.code).toBe("ENETUNREACH");
  });

  it("runs a nested command after checking the namespace again", () => {
    const run = spawnSync(process.execPath, [RUNNER, "sh", "-c", "echo $ASM_E2E_ISOLATION; exit 3"], { encoding: "utf8" });
    expect(run.status).toBe(3);
    expect(run.stdout.trim()).toBe("netns");
  });
});
