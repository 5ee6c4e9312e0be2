// Runs `asm chat` with the real claude binary against the testkit's fake Anthropic server, two
// turns on stdin, and prints what happened as one JSON line. Must run inside a loopback-only
// network namespace (the test starts it under `unshare -n`):
//   node --conditions=@asm/source --import tsx test/chat-driver.ts <claude-binary>
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeAnthropic, type AnthropicMessageReply } from "@asm/testkit";
import { claudeDemoEnv, createDemoDirs, isolatedEnv } from "../src/demo/demo-env.js";
import { inLoopbackOnlyNamespace } from "../src/demo/isolation.js";

const [claude] = process.argv.slice(2);
if (!inLoopbackOnlyNamespace() || claude === undefined) {
  process.stderr.write("chat-driver: needs a loopback-only network namespace and the claude binary\n");
  process.exit(2);
}

// The fake model says whether the conversation it was sent still holds the first prompt's word.
const server = await startFakeAnthropic({
  respond: (turn): AnthropicMessageReply => {
    const remembered = JSON.stringify(turn.body.messages ?? []).includes("apple");
    // Claude Code puts reminders of its own before the prompt: the prompt is the last line.
    const prompt = turn.lastUserText.trim().split("\n").at(-1) ?? "";
    return { kind: "message", content: [{ type: "text", text: `Heard: ${prompt}. Earlier word: ${remembered ? "apple" : "none"}.` }] };
  },
});
const dirs = createDemoDirs();
const asm = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "bin", "asm.ts");
const child = spawn(process.execPath, [...process.execArgv, asm, "chat", "--provider", "claude", "--cli-path", claude, "--cwd", dirs.workDir, "--json"], {
  env: isolatedEnv(process.env, claudeDemoEnv(dirs, server.url)),
  stdio: ["pipe", "pipe", "pipe"],
});
let stdout = "";
let stderr = "";
child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
child.stdin.end("Remember the word apple\nWhich word did I ask you to remember?\n");
const timer = setTimeout(() => child.kill("SIGTERM"), 100_000);
const exitCode = await new Promise<number>((resolve) => child.on("exit", (status) => resolve(status ?? 1)));
clearTimeout(timer);
const requests = server.turns.map((turn) => turn.lastUserText.trim());
await server.close();
dirs.remove();
process.stdout.write(`${JSON.stringify({ exitCode, stdout, stderr, requests })}\n`);
