import { describe, it } from "vitest";
import { AsmError, type AsmErrorCode } from "@asm/contract";
import { networkIsolation } from "./isolation.js";

/** Whether the real-CLI tests of one CLI can run here, and why not. */
export interface RealCliGate {
  run: boolean;
  reason: string | null;
  /** The code of the failure reported under CI (default `config_invalid`). */
  code?: AsmErrorCode;
}

/**
 * Decides whether real-CLI tests may run: the binary must exist, and the process must be in a
 * loopback-only network namespace (or `ASM_E2E_ALLOW_NETWORK=1` must accept running without one).
 */
export function realCliGate(cli: string, binaryPath: string | null): RealCliGate {
  if (binaryPath === null) {
    return { run: false, reason: `the ${cli} binary is not installed (pnpm install in packages/e2e)`, code: "cli_not_found" };
  }
  const isolation = networkIsolation();
  if (isolation.isolated) return { run: true, reason: null };
  if (process.env.ASM_E2E_ALLOW_NETWORK === "1" && process.env.CI !== "true") return { run: true, reason: null };
  return { run: false, reason: isolation.reason };
}

/** Closes `gate` with `reason` unless `satisfied` (an extra requirement such as a provider package). */
export function requireAlso(gate: RealCliGate, satisfied: boolean, reason: string): RealCliGate {
  if (!gate.run || satisfied) return gate;
  return { run: false, reason };
}

/**
 * `describe` for tests that run a real CLI. When the gate is closed the tests are not run: under
 * `CI=true` a failing test with the reason takes their place; elsewhere the block is reported as
 * skipped and the reason is printed, so it never counts as passing.
 */
export function describeRealCli(title: string, gate: RealCliGate, body: () => void): void {
  if (gate.run) {
    describe(title, body);
    return;
  }
  const reason = gate.reason ?? "unavailable";
  if (process.env.CI === "true") {
    describe(title, () => {
      it("can run the real CLI", () => {
        throw new AsmError(gate.code ?? "config_invalid", `real-CLI tests cannot run: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[e2e] skipping "${title}": ${reason}`);
  describe.skipIf(true)(`${title} (skipped: ${reason})`, body);
}
