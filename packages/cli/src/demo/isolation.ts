import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The variable that tells the re-executed demo it runs inside the namespace. */
export const DEMO_STAGE_VAR = "ASM_DEMO_STAGE";

const LOOPBACK_UP = 'ip link set lo up && exec "$@"';

/** The network interfaces of this process's namespace (`/proc/net/dev` is per namespace). */
function networkInterfaces(): string[] {
  try {
    return readFileSync("/proc/net/dev", "utf8")
      .split("\n")
      .slice(2)
      .map((line) => line.split(":")[0]?.trim() ?? "")
      .filter((name) => name !== "");
  } catch {
    return [];
  }
}

/** True when the only network interface is loopback: nothing can leave the machine. */
export function inLoopbackOnlyNamespace(): boolean {
  const names = networkInterfaces();
  return names.length === 1 && names[0] === "lo";
}

/** How to create a loopback-only namespace here, or why it cannot be done. */
export type IsolationPlan = { ok: true; unshareArgs: string[] } | { ok: false; reason: string };

/**
 * Checks that `unshare` can create a network namespace with only `lo` (as root `unshare -n`,
 * otherwise a user namespace with `unshare -r -n`) and bring `lo` up in it.
 */
export function planIsolation(): IsolationPlan {
  if (process.platform !== "linux") return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const unshareArgs = isRoot ? ["-n"] : ["-r", "-n"];
  const probe = spawnSync("unshare", [...unshareArgs, "--", "sh", "-c", LOOPBACK_UP, "sh", "true"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error === undefined && probe.status === 0) return { ok: true, unshareArgs };
  const detail = probe.error?.message ?? (probe.stderr.trim() || `exit status ${String(probe.status)}`);
  return { ok: false, reason: `cannot create a loopback-only network namespace (unshare ${unshareArgs.join(" ")}): ${detail}` };
}

/**
 * Runs this same `asm` command again inside a new loopback-only network namespace, with the
 * terminal passed through, and resolves with its exit code. A Ctrl-C typed on the terminal reaches
 * the inner process directly (same process group); a SIGINT/SIGTERM sent to this process alone is
 * forwarded.
 */
export function reexecIsolated(unshareArgs: readonly string[], argv: readonly string[], fromTerminal: boolean): Promise<number> {
  const script = process.argv[1];
  const command = [process.execPath, ...process.execArgv, ...(script === undefined ? [] : [script]), ...argv];
  return new Promise((resolve) => {
    const child = spawn("unshare", [...unshareArgs, "--", "sh", "-c", LOOPBACK_UP, "sh", ...command], {
      stdio: "inherit",
      env: { ...process.env, [DEMO_STAGE_VAR]: "inside" },
    });
    const forward = (signal: NodeJS.Signals) => {
      // A terminal Ctrl-C already reached the child; forwarding it would count as a second one.
      if (signal === "SIGINT" && fromTerminal) return;
      child.kill(signal);
    };
    const onInt = () => forward("SIGINT");
    const onTerm = () => forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}
