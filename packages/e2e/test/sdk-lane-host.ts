// A host program for the host-death test of the SDK lanes: it starts one run on a provider's SDK
// lane whose model reply is a long shell command, reports on stdout once the tool has started,
// then waits to be killed. The test runs it as its own Node process (`node --import tsx`) so that
// its SIGKILL is real.
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { createAsm, type Asm } from "@asm/core";
import { gemini } from "@asm/gemini";
import { claudeSdkLane } from "@asm/sdk-claude";
import { codexAppServerLane } from "@asm/sdk-codex";
import { geminiAcpLane } from "@asm/sdk-gemini";

interface HostConfig {
  provider: "claude" | "codex" | "gemini";
  cliPath: string;
  cwd: string;
  env: Record<string, string>;
}

const config = JSON.parse(process.env.HOST_CONFIG ?? "{}") as HostConfig;

function asmFor(provider: HostConfig["provider"]): Asm {
  if (provider === "claude") return createAsm({ providers: [claude()], lanes: [claudeSdkLane()] });
  if (provider === "codex") return createAsm({ providers: [codex()], lanes: [codexAppServerLane()] });
  return createAsm({ providers: [gemini()], lanes: [geminiAcpLane()] });
}

const asm = asmFor(config.provider);
const session = await asm.startSession({ provider: config.provider, lane: "sdk", permissionMode: "bypass", cwd: config.cwd, cliPath: config.cliPath, env: config.env });
// Read by hand: leaving a for-await loop would close the run, and it must still be running.
const iterator = session.stream("Wait in the shell")[Symbol.asyncIterator]();
for (;;) {
  const step = await iterator.next();
  if (step.done === true) {
    process.stdout.write(`${JSON.stringify({ ended: "stream" })}\n`);
    process.exit(1);
  }
  const event = step.value;
  if (event.kind === "tool_use") {
    process.stdout.write(`${JSON.stringify({ toolUse: true, lane: event.metadata.lane })}\n`);
    break;
  }
  if (event.kind === "error" || event.kind === "result") {
    process.stdout.write(`${JSON.stringify({ ended: event.kind, payload: event.payload })}\n`);
    process.exit(1);
  }
}
// The test kills this host while the tool runs.
setInterval(() => undefined, 1 << 30);
