import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { claudeSdkLane } from "@asm/sdk-claude";
import { geminiAcpLane } from "@asm/sdk-gemini";
import {
  anthropicReplies,
  fakeCodexConfigToml,
  geminiCliEnv,
  geminiReplies,
  openAIResponsesReplies,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAIResponses,
  writeGeminiCliSettings,
} from "@asm/testkit";
import { afterEach, expect, it } from "vitest";
import { claudeCliPath, claudeEnv, MARKER_VAR } from "../src/claude-env.js";
import { listProcesses, processesWithEnv, waitUntilGone, type ProcessRow } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";

// `kill -9` of a host with a run on an SDK lane: the Claude Agent SDK driving the real `claude`,
// the real `codex app-server`, the real `gemini --acp` — each against its fake model server, each
// run busy in a shell tool when the host dies. Nothing can run in a SIGKILLed host, so only the
// core lane's guardian process stands between the CLI and an orphan: no process of the run may
// survive, and the guardian removes the run's host-death records.

const here = dirname(fileURLToPath(import.meta.url));
const hostScript = join(here, "sdk-lane-host.ts");

function executable(path: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch (_error) {
    return null;
  }
}

function geminiCliPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@google/gemini-cli/package.json");
    const manifest = require(manifestPath) as { bin?: Record<string, string> };
    return executable(join(dirname(manifestPath), manifest.bin?.gemini ?? "bundle/gemini.js"));
  } catch (_error) {
    return null;
  }
}

/** A provider's fake server and the environment its real CLI runs in, for one test. */
interface Setup {
  cliPath: string;
  env: Record<string, string>;
}

let dirs: ThrowawayDirs | undefined;
let host: ChildProcess | undefined;
let marker = "";

afterEach(async () => {
  if (host !== undefined && host.exitCode === null && host.signalCode === null) host.kill("SIGKILL");
  // Whatever survived failed the test already; it must not outlive it too.
  for (const row of processesWithEnv(MARKER_VAR, marker)) {
    try {
      process.kill(row.pid, "SIGKILL");
    } catch (_error) {
      // Already gone.
    }
  }
  await dirs?.cleanup();
  dirs = undefined;
  host = undefined;
});

/** Starts the host; resolves once its run is inside the shell tool. */
async function startHost(provider: string, setup: Setup, stateDir: string, sleepArg: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=@asm/source", "--import", "tsx", hostScript], {
    cwd: dirname(here),
    env: { ...process.env, ASM_STATE_DIR: stateDir, HOST_CONFIG: JSON.stringify({ provider, cliPath: setup.cliPath, cwd: dirs?.cwd, env: setup.env }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  host = child;
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once("exit", () => resolve(`host exited early: ${stderr.join("").slice(-2000)}`)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([new Promise<string>((resolve) => lines.once("line", resolve)), exited]);
  expect(first).toContain('"toolUse":true');
  expect(first).toContain('"lane":"sdk"');
  // The tool's own process, started by the CLI: it is what an orphaned run would leave running.
  const deadline = Date.now() + 30_000;
  while (!listProcesses().some((row) => row.args.includes(`sleep ${sleepArg}`)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(listProcesses().some((row) => row.args.includes(`sleep ${sleepArg}`)), "the shell tool is running").toBe(true);
  return child;
}

async function killHostAndCheck(child: ChildProcess, stateDir: string): Promise<void> {
  const before = processesWithEnv(MARKER_VAR, marker);
  // The CLI and the tool it started, at least.
  expect(before.length).toBeGreaterThanOrEqual(2);
  const records = readdirSync(join(stateDir, "core-lane", "groups")).filter((name) => name.endsWith(".json"));
  expect(records.length, "the lane's group is in the host-death registry").toBeGreaterThanOrEqual(1);
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await gone;
  const left: ProcessRow[] = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 10_000);
  expect(left, "processes of the run left behind by the SIGKILLed host").toEqual([]);
  // The guardian removes the records once it has killed the groups (shortly after the processes went).
  const recordsOf = () => readdirSync(join(stateDir, "core-lane", "groups")).filter((name) => name.endsWith(".json"));
  const until = Date.now() + 5_000;
  while (recordsOf().length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(recordsOf(), "records removed by the guardian").toEqual([]);
}

async function prepare(prefix: string): Promise<{ stateDir: string; sleepArg: string }> {
  dirs = await createThrowawayDirs(prefix);
  marker = randomUUID();
  const stateDir = join(dirs.root, "state");
  await mkdir(stateDir);
  // A fractional duration no other process on the machine is likely to sleep for.
  return { stateDir, sleepArg: `60.${Math.floor(100 + Math.random() * 899)}` };
}

const claudePath = claudeCliPath();
const claudeAvailable = await claudeSdkLane().probe();
describeRealCli(
  "kill -9 of a host running the Claude Agent SDK lane",
  requireAlso(realCliGate("claude", claudePath), claudeAvailable.available, `the Claude Agent SDK cannot load: ${claudeAvailable.reason ?? ""}`),
  () => {
    it("leaves no claude and no tool process behind", async () => {
      const { stateDir, sleepArg } = await prepare("asm-e2e-host-claude-");
      const api = await startFakeAnthropic();
      try {
        // Claude Code refuses a command that is a lone long `sleep`.
        api.respondWith(anthropicReplies.toolThenText("Bash", { command: `echo waiting && sleep ${sleepArg}`, description: "Wait" }, "done"));
        const env = claudeEnv({ baseUrl: api.url, dirs: dirs as ThrowawayDirs, marker });
        const child = await startHost("claude", { cliPath: claudePath as string, env}, stateDir, sleepArg);
        await killHostAndCheck(child, stateDir);
      } finally {
        await api.close();
      }
    });
  },
);

const codexPath = executable(join(here, "..", "node_modules", ".bin", "codex"));
describeRealCli("kill -9 of a host running the Codex app-server lane", realCliGate("codex", codexPath), () => {
  it("leaves no codex app-server and no tool process behind", async () => {
    const { stateDir, sleepArg } = await prepare("asm-e2e-host-codex-");
    const api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    try {
      api.respondWith(openAIResponsesReplies.shellThenText(`sleep ${sleepArg}`, "done"));
      const home = (dirs as ThrowawayDirs).home;
      const codexHome = join(home, ".codex");
      await mkdir(codexHome, { recursive: true });
      await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0 }));
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        SHELL: "/bin/bash",
        HOME: home,
        CODEX_HOME: codexHome,
        TMPDIR: (dirs as ThrowawayDirs).tmpDir,
        FAKE_OPENAI_API_KEY: "dummy",
        RUST_LOG: "warn",
        [MARKER_VAR]: marker,
      };
      const child = await startHost("codex", { cliPath: codexPath as string, env}, stateDir, sleepArg);
      await killHostAndCheck(child, stateDir);
    } finally {
      await api.close();
    }
  });
});

const geminiPath = geminiCliPath();
const acpAvailable = await geminiAcpLane().probe();
describeRealCli(
  "kill -9 of a host running the Gemini ACP lane",
  requireAlso(realCliGate("gemini", geminiPath), acpAvailable.available, `the ACP SDK cannot load: ${acpAvailable.reason ?? ""}`),
  () => {
    it("leaves no gemini and no tool process behind", async () => {
      const { stateDir, sleepArg } = await prepare("asm-e2e-host-gemini-");
      const api = await startFakeGemini();
      try {
        api.respondWith(geminiReplies.shellThenText(`sleep ${sleepArg}`, "done"));
        const current = dirs as ThrowawayDirs;
        await writeGeminiCliSettings(current.home, { maxAttempts: 1 });
        const env = { ...geminiCliEnv({ baseUrl: api.url, home: current.home, tmpdir: current.tmpDir }), [MARKER_VAR]: marker };
        const child = await startHost("gemini", { cliPath: geminiPath as string, env}, stateDir, sleepArg);
        await killHostAndCheck(child, stateDir);
      } finally {
        await api.close();
      }
    });
  },
);
