// A host program for the host-death tests: it starts one core-lane run whose CLI leaves a
// grandchild in its group, reports both pids on stdout, then ends the way HOST_ACTION says.
// It is bundled with tsup and run as its own Node process, so its death is real.
import { backendEvent, type BackendEvent, type ProviderProfile } from "@asm/contract";
import { createCoreBackend } from "../core-backend.js";
import { localStartConfig } from "./start-config.js";

interface HostConfig {
  cliPath: string;
  env: Record<string, string>;
  stateDir: string;
  action: "wait" | "exit" | "throw" | "reject" | "own-sigint";
  /** Start the host guardian (default true). */
  guardian?: boolean;
  /** More runs, each with its own fake CLI environment, started after the first (their pids are reported too). */
  moreRuns?: Array<Record<string, string>>;
}

const config = JSON.parse(process.env.HOST_CONFIG ?? "{}") as HostConfig;

// The smallest profile that reads the fake CLI's text lines.
const profile: ProviderProfile = {
  specificationVersion: "v1",
  id: "host-fake",
  cli: {
    binaryNames: ["asm-fake-cli"],
    envVar: "ASM_FAKE_CLI_PATH",
    knownPaths: () => [],
    installHint: "pass cliPath",
    versionArgs: ["--version"],
    parseVersion: () => null,
    supportedVersions: { min: "0.0.0" },
  },
  capabilities: [],
  buildInvocation: () => ({ args: [], env: {}, closeStdin: false }),
  createParser: () => ({
    line(text): BackendEvent[] {
      const value = JSON.parse(text) as { type: string; text?: string };
      if (value.type === "text") return [backendEvent("assistant_delta", { content: value.text ?? "" })];
      if (value.type === "result") return [backendEvent("result", { status: "success" })];
      return [];
    },
    stderr: () => [],
    exit: () => [],
  }),
};

const backend = createCoreBackend(profile, { stateDir: config.stateDir, reapOrphans: false, hostGuardian: config.guardian !== false });

async function startRun(runId: string, env: Record<string, string>) {
  return backend.start(
    localStartConfig({
      runId,
      sessionId: "host-session",
      provider: "host-fake",
      prompt: "",
      backendOptions: { cliPath: config.cliPath, env, checkVersion: false, idleTimeoutMs: 600_000 },
    }),
  );
}

/** Reads a run's events until its first text line (by hand: leaving a for-await loop would close the run). */
async function firstText(session: Awaited<ReturnType<typeof startRun>>): Promise<string> {
  const iterator = session.events()[Symbol.asyncIterator]();
  for (;;) {
    const step = await iterator.next();
    if (step.done === true) return "";
    if (step.value.kind === "assistant_delta") return step.value.payload.content;
  }
}

const session = await startRun("host-run", config.env);
const text = await firstText(session);
const grandchild = text.startsWith("grandchild ") ? Number(text.split(" ")[1]) : null;
// Every pid the runs started: group leaders, and grandchildren they report.
const pids: number[] = [session.info().session.pid as number, ...(grandchild === null ? [] : [grandchild])];
let index = 0;
for (const env of config.moreRuns ?? []) {
  const more = await startRun(`host-run-${++index}`, env);
  const line = await firstText(more);
  pids.push(more.info().session.pid as number);
  if (line.startsWith("grandchild ")) pids.push(Number(line.split(" ")[1]));
}
process.stdout.write(`${JSON.stringify({ pgid: session.info().session.pid, grandchild, pids })}\n`);

if (config.action === "exit") process.exit(0);
if (config.action === "own-sigint") {
  // A host with its own SIGINT handler: it reports the signal, checks that its run is still
  // alive (the guard left it alone), then exits by itself.
  process.on("SIGINT", () => {
    process.stdout.write(`${JSON.stringify({ handled: "SIGINT", runStillGuarded: session.info().session.pid })}\n`);
    setTimeout(() => process.exit(0), 300);
  });
}
if (config.action === "throw") {
  setTimeout(() => {
    throw new TypeError("host crashed");
  }, 10);
}
if (config.action === "reject") {
  setTimeout(() => void Promise.reject(new TypeError("host rejected")), 10);
}
setInterval(() => undefined, 1 << 30);
