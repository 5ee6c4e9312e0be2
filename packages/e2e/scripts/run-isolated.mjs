#!/usr/bin/env node
// Runs a command inside a fresh network namespace that has only the loopback interface, so the
// real CLIs under test can reach the fake model servers on 127.0.0.1 and nothing else.
//
//   node scripts/run-isolated.mjs <command> [args...]
//
// As root it re-executes itself under `unshare -n`; otherwise it tries `unshare -r -n` (a user
// namespace). Inside, it brings `lo` up, checks that `lo` is the only interface, sets
// ASM_E2E_ISOLATION=netns and runs the command. When isolation is impossible it fails under
// CI=true, and elsewhere runs the command with ASM_E2E_ISOLATION=none and the reason in
// ASM_E2E_ISOLATION_REASON (the real-CLI tests then report themselves skipped with that reason).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const STAGE_VAR = "ASM_E2E_ISOLATION_STAGE";
const LOOPBACK_UP = 'ip link set lo up && exec "$@"';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: node scripts/run-isolated.mjs <command> [args...]");
  process.exit(2);
}

/** Interface names in the current network namespace (/proc/net/dev is per namespace, sysfs is not). */
function interfaces() {
  return readFileSync("/proc/net/dev", "utf8")
    .split("\n")
    .slice(2)
    .map((line) => line.split(":")[0]?.trim())
    .filter((name) => name !== undefined && name !== "");
}

function loopbackUp() {
  const shown = spawnSync("ip", ["-o", "link", "show", "dev", "lo"], { encoding: "utf8" });
  return shown.status === 0 && /[<,]UP[,>]/.test(shown.stdout);
}

function run(env) {
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
  child.on("error", (error) => {
    console.error(`run-isolated: cannot start ${command[0]}: ${error.message}`);
    process.exit(127);
  });
  supervise(child);
}

/** Forwards termination signals to `child` and exits the way it exited. */
function supervise(child) {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  child.on("exit", (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (signal !== null) {
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(1), 1000).unref();
      return;
    }
    process.exit(code ?? 1);
  });
}

function fail(reason) {
  console.error(`run-isolated: ${reason}`);
  process.exit(1);
}

if (process.env[STAGE_VAR] === "inside" || process.env.ASM_E2E_ISOLATION === "netns") {
  // Inside the namespace (or re-entered from an isolated run): prove it before running anything.
  const names = interfaces();
  if (names.length !== 1 || names[0] !== "lo") fail(`expected only the loopback interface, found: ${names.join(", ")}`);
  if (!loopbackUp()) fail("the loopback interface is not up");
  const env = { ...process.env, ASM_E2E_ISOLATION: "netns" };
  delete env[STAGE_VAR];
  delete env.ASM_E2E_ISOLATION_REASON;
  run(env);
} else {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const unshareArgs = isRoot ? ["-n"] : ["-r", "-n"];
  const probe = spawnSync("unshare", [...unshareArgs, "--", "sh", "-c", LOOPBACK_UP, "sh", "true"], { encoding: "utf8" });
  if (probe.error === undefined && probe.status === 0) {
    const child = spawn(
      "unshare",
      [...unshareArgs, "--", "sh", "-c", LOOPBACK_UP, "sh", process.execPath, SELF, ...command],
      { stdio: "inherit", env: { ...process.env, [STAGE_VAR]: "inside" } },
    );
    supervise(child);
  } else {
    const detail = probe.error?.message ?? (probe.stderr.trim() || `exit status ${probe.status}`);
    const reason = `cannot create a loopback-only network namespace (unshare ${unshareArgs.join(" ")}): ${detail}`;
    if (process.env.CI === "true") fail(`${reason}. Real-CLI tests must run isolated under CI.`);
    console.warn(`run-isolated: WARNING: ${reason}. Real-CLI tests will be skipped (set ASM_E2E_ALLOW_NETWORK=1 to run them unisolated).`);
    run({ ...process.env, ASM_E2E_ISOLATION: "none", ASM_E2E_ISOLATION_REASON: reason });
  }
}
