import { accessSync, constants, realpathSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AsmError } from "@asm/contract";
import { fakeCodexConfigToml, openAIResponsesReplies as replies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import { defineCliTable, type ScenarioContext } from "./transcript-recorder.js";

const CODEX_PACKAGE = "@openai/codex";
const CODEX_BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin", "codex");
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", CODEX_PACKAGE);
const API_KEY = "dummy";
const EXEC = ["exec", "--json", "--skip-git-repo-check"];

function codexBinary(): string | null {
  try {
    accessSync(CODEX_BIN, constants.X_OK);
    return CODEX_BIN;
  } catch (_error) {
    return null;
  }
}

function threadIdOf(context: ScenarioContext, scenario: string): string {
  const started = context.previous.get(scenario)?.events.find((event) => event.type === "thread.started");
  if (typeof started?.thread_id !== "string") {
    throw new AsmError("config_invalid", `scenario ${scenario} produced no thread id to resume`);
  }
  return started.thread_id;
}

/**
 * `codex exec --json` scenarios, matching the names of the Codex parser fixtures recorded the same
 * way (`packages/providers/codex/src/__fixtures__`). The prompt is the last argument, as in those.
 */
export const codexTable = defineCliTable<FakeOpenAIResponsesServer>({
  recorder: {
    cli: "codex",
    binary: codexBinary,
    startServer: () => startFakeOpenAIResponses({ apiKey: API_KEY }),
    env: ({ dirs }) => ({
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      HOME: dirs.home,
      CODEX_HOME: join(dirs.home, ".codex"),
      TMPDIR: dirs.tmpDir,
      FAKE_OPENAI_API_KEY: API_KEY,
      NO_COLOR: "1",
      RUST_LOG: "warn",
    }),
    async prepareHome({ dirs, serverUrl, maxRetries }) {
      const codexHome = join(dirs.home, ".codex");
      await mkdir(codexHome, { recursive: true });
      // The recorder's server URL is the origin; the Responses API lives under /v1.
      await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: `${serverUrl}/v1`, retries: maxRetries ?? 0 }));
    },
    extraPlaceholders() {
      const asInstalled = `<NPM_PREFIX>/node_modules/${CODEX_PACKAGE}`;
      try {
        return [{ path: realpathSync(PACKAGE_DIR), placeholder: asInstalled }];
      } catch (_error) {
        return [];
      }
    },
  },
  scenarios: [
    { name: "text", args: () => [...EXEC, "Say OK"] },
    {
      name: "tool",
      args: () => [...EXEC, "--dangerously-bypass-approvals-and-sandbox", "Run echo hi in the shell"],
      script: (server) =>
        server.respondWith(replies.shellThenText("echo hi", (outputs) => `The command printed: ${outputs[0]?.output.includes("hi") === true ? "hi" : "?"}`)),
    },
    { name: "error-401", args: () => [...EXEC, "Say OK"], script: (server) => server.respondWith(() => replies.error(401)) },
    { name: "error-500", args: () => [...EXEC, "Say OK"], script: (server) => server.respondWith(() => replies.error(500)) },
    { name: "error-429", args: () => [...EXEC, "Say OK"], script: (server) => server.respondWith(() => replies.error(429)) },
    {
      name: "reconnect",
      args: () => [...EXEC, "Say OK"],
      maxRetries: 2,
      script: (server) => server.script(replies.dropMidStream("This answer is cut"), replies.text("OK after reconnect")),
    },
    {
      name: "resume",
      continues: "text",
      args: (context) => [...EXEC, "resume", "--", threadIdOf(context, "text"), "Say it again"],
      script: (server) => server.script(replies.text("Resumed OK")),
    },
  ],
});
