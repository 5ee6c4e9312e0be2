import { readFileSync } from "node:fs";

/** Whether this process runs in a network namespace that has only the loopback interface. */
export interface NetworkIsolation {
  isolated: boolean;
  /** The interfaces of the current network namespace. */
  interfaces: string[];
  /** Why the namespace is not isolated (null when it is). */
  reason: string | null;
}

/**
 * Inspects the current network namespace. `/proc/net/dev` is per namespace, so this is the ground
 * truth whatever the environment variables say.
 */
export function networkIsolation(): NetworkIsolation {
  let interfaces: string[];
  try {
    interfaces = readFileSync("/proc/net/dev", "utf8")
      .split("\n")
      .slice(2)
      .map((line) => line.split(":")[0]?.trim() ?? "")
      .filter((name) => name !== "");
  } catch (error) {
    return { isolated: false, interfaces: [], reason: `cannot read /proc/net/dev: ${(error as Error).message}` };
  }
  if (interfaces.length === 1 && interfaces[0] === "lo") return { isolated: true, interfaces, reason: null };
  const runnerReason = process.env.ASM_E2E_ISOLATION_REASON;
  return {
    isolated: false,
    interfaces,
    reason:
      `not in a loopback-only network namespace (interfaces: ${interfaces.join(", ")}); ` +
      (runnerReason === undefined ? "run through `pnpm --filter @asm/e2e test` (scripts/run-isolated.mjs)" : runnerReason),
  };
}
