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

const backend = createCoreBackend(profile, { stateDir: config.stateDir, reapOrphans: false });
const session = await backend.start(
  localStartConfig({
    runId: "host-run",
    sessionId: "host-session",
    provider: "host-fake",
    prompt: "",
    backendOptions: { cliPath: config.cliPath, env: config.env, checkVersion: false, idleTimeoutMs: 600_000 },
  }),
);

// Read by hand: leaving a for-await loop would close the run.
const iterator = session.events()[Symbol.asyncIterator]();
for (;;) {
  const step = await iterator.next();
  if (step.done === true) break;
  const event = step.value;
  if (event.kind === "assistant_delta" && event.payload.content.startsWith("grandchild ")) {
    const grandchild = Number(event.payload.content.split(" ")[1]);
    process.stdout.write(`${JSON.stringify({ pgid: session.info().session.pid, grandchild })}\n`);
    break;
  }
}

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
