#!/usr/bin/env node
// How long a SIGKILLed host's CLIs outlive it. Each round starts a host process that runs
// `--clis` core-lane runs whose CLIs ignore SIGTERM, SIGKILLs the host once every CLI is up, and
// polls (every 2 ms) until every CLI is gone, or 5 s have passed (an orphan). Prints one JSON
// line with the figures. Linux only (a zombie counts as gone: it has stopped running).
//
//   pnpm --filter @asm/bench exec node --conditions=@asm/source --import tsx bin/host-death.mjs [--rounds 20] [--clis 5] [--no-guardian]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

// The CLI of every run: deaf to SIGTERM, reports its pid, never exits by itself.
const CLI_SOURCE = 'process.on("SIGTERM", () => {}); console.log(JSON.stringify({ pid: process.pid })); setInterval(() => {}, 1 << 30);';

async function host(clis, guardian) {
  const { createCoreBackend } = await import("@asm/core");
  const { backendEvent } = await import("@asm/contract");
  const profile = {
    specificationVersion: "v1",
    id: "deaf",
    cli: {
      binaryNames: ["node"],
      envVar: "ASM_DEAF_CLI_PATH",
      knownPaths: () => [],
      installHint: "",
      versionArgs: ["--version"],
      parseVersion: () => null,
      supportedVersions: { min: "0.0.0" },
    },
    capabilities: [],
    buildInvocation: () => ({ args: ["-e", CLI_SOURCE], env: {}, closeStdin: false }),
    createParser: () => ({
      line: (text) => [backendEvent("assistant_delta", { content: text })],
      stderr: () => [],
      exit: () => [],
    }),
  };
  const backend = createCoreBackend(profile, { reapOrphans: false, hostGuardian: guardian });
  const pids = [];
  for (let index = 0; index < clis; index += 1) {
    const session = await backend.start({
      runId: `deaf-${index}`,
      sessionId: "deaf",
      provider: "deaf",
      prompt: "",
      providerOptions: {},
      execution: {
        executionMode: "local",
        executionSurface: { kind: "local", transportOptions: {}, observability: {} },
        executionEnvironment: { allowedTools: [] },
        transportCallTimeoutMs: 5_000,
      },
      metadata: { provider: "deaf", lane: "core", backend: "core:deaf" },
      backendOptions: { cliPath: process.execPath, checkVersion: false, idleTimeoutMs: 600_000 },
    });
    // Read by hand: leaving a for-await loop would close the run.
    const step = await session.events()[Symbol.asyncIterator]().next();
    pids.push(JSON.parse(step.value.payload.content).pid);
  }
  process.stdout.write(`${JSON.stringify({ pids })}\n`);
  setInterval(() => undefined, 1 << 30);
}

function running(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function round(clis, guardian) {
  const child = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, "--host", "--clis", String(clis), ...(guardian ? [] : ["--no-guardian"])], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const { pids } = JSON.parse(line);
  const started = performance.now();
  child.kill("SIGKILL");
  const deadline = started + 5_000;
  while (pids.some(running) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  const survivors = pids.filter(running);
  for (const pid of survivors) process.kill(pid, "SIGKILL");
  return { ms: performance.now() - started, survivors: survivors.length };
}

const { values } = parseArgs({
  options: {
    host: { type: "boolean", default: false },
    rounds: { type: "string", default: "20" },
    clis: { type: "string", default: "5" },
    "no-guardian": { type: "boolean", default: false },
  },
});
const guardian = !values["no-guardian"];
if (values.host) {
  await host(Number(values.clis), guardian);
} else {
  const results = [];
  for (let index = 0; index < Number(values.rounds); index += 1) results.push(await round(Number(values.clis), guardian));
  const sorted = results.map((result) => result.ms).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const figures = {
    guardian,
    rounds: results.length,
    clisPerHost: Number(values.clis),
    orphans: results.reduce((sum, result) => sum + result.survivors, 0),
    allGoneMs: { median: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(sorted.at(-1)) },
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
