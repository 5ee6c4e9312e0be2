// Runs one live example with the real claude binary against the testkit's fake Anthropic server.
// Must run inside a loopback-only network namespace (the test starts it under `unshare -n`).
//   node --conditions=@asm/source --import tsx test/live-driver.ts <example> <claude-binary>
// <example> may also be the absolute path of a script that takes no flags (the README's Quick
// start): it runs with CLAUDE_CLI_PATH naming the binary.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLAUDE_QUIET_ENV, startFakeAnthropic, type AnthropicMessageReply } from "@asm/testkit";

const [example, claude] = process.argv.slice(2);
const interfaces = readFileSync("/proc/net/dev", "utf8").split("\n").slice(2).map((line) => line.split(":")[0]?.trim()).filter(Boolean);
if (interfaces.length !== 1 || interfaces[0] !== "lo") {
  process.stderr.write(`live-driver: refusing to run a real CLI outside a loopback-only namespace (${interfaces.join(", ")})\n`);
  process.exit(1);
}
if (example === undefined || claude === undefined) {
  process.stderr.write("usage: live-driver <example> <claude-binary>\n");
  process.exit(2);
}

// The fake model replies with the sentinel the prompt asks for, as a model would.
const server = await startFakeAnthropic({
  respond: (turn): AnthropicMessageReply => {
    const sentinel = /LIVE_[A-Z_]+_OK/.exec(turn.lastUserText)?.[0] ?? `Answer to: ${turn.lastUserText.trim()}`;
    return { kind: "message", content: [{ type: "text", text: sentinel }] };
  },
});
const root = mkdtempSync(join(tmpdir(), "asm-examples-"));
const home = join(root, "home");
for (const dir of [home, join(home, ".claude"), join(root, "tmp"), join(root, "work")]) mkdirSync(dir, { recursive: true });
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  LANG: "C.UTF-8",
  HOME: home,
  CLAUDE_CONFIG_DIR: join(home, ".claude"),
  TMPDIR: join(root, "tmp"),
  ANTHROPIC_BASE_URL: server.url,
  ANTHROPIC_API_KEY: "sk-ant-examples-dummy-key",
  ...CLAUDE_QUIET_ENV,
  IS_SANDBOX: "1",
};
const bare = example.startsWith("/");
const script = bare ? example : join(dirname(fileURLToPath(import.meta.url)), "..", "src", `${example}.ts`);
const args = bare ? [] : ["--provider", "claude", "--cli-path", claude, "--cwd", join(root, "work")];
// Asynchronous, so that this process's fake server keeps answering while the example runs.
const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
  env: bare ? { ...env, CLAUDE_CLI_PATH: claude } : env,
  stdio: ["ignore", "inherit", "inherit"],
});
const timer = setTimeout(() => child.kill("SIGTERM"), 110_000);
const code = await new Promise<number>((resolve) => child.on("exit", (status) => resolve(status ?? 1)));
clearTimeout(timer);
await server.close();
rmSync(root, { recursive: true, force: true });
process.exit(code);
