import { realpathSync } from "node:fs";
import { AsmError } from "@asm/contract";
import { dirname } from "node:path";
import { claudeCliPath, claudeEnv } from "../src/claude-env.js";
import { anthropicReplies, startFakeAnthropic, type FakeAnthropicServer } from "../src/fake-api.js";
import { claudeProjectSlug } from "../src/transcript-placeholders.js";
import { defineCliTable, type ScenarioContext } from "./transcript-recorder.js";

const CLAUDE_PACKAGE = "@anthropic-ai/claude-code";
const STREAM = ["--output-format", "stream-json", "--verbose"];

function sessionIdOf(context: ScenarioContext, scenario: string): string {
  const run = context.previous.get(scenario);
  const result = run?.events.find((event) => event.type === "result");
  if (typeof result?.session_id !== "string") {
    throw new AsmError("config_invalid", `scenario ${scenario} produced no session id to resume`);
  }
  return result.session_id;
}

/** Claude Code scenarios, matching the shared fixtures' names where they exist. */
export const claudeTable = defineCliTable<FakeAnthropicServer>({
  recorder: {
    cli: "claude",
    binary: claudeCliPath,
    startServer: () => startFakeAnthropic(),
    env: ({ dirs, serverUrl, maxRetries }) => claudeEnv({ baseUrl: serverUrl, dirs, ...(maxRetries === undefined ? {} : { maxRetries }) }),
    extraPlaceholders(dirs) {
      const binary = claudeCliPath();
      const linked = binary === null ? "" : dirname(dirname(binary));
      const real = linked === "" ? "" : realpathSync(linked);
      // The package is reachable through this package's node_modules link and through pnpm's store.
      const asInstalled = `<NPM_PREFIX>/node_modules/${CLAUDE_PACKAGE}`;
      return [
        { path: claudeProjectSlug(dirs.cwd), placeholder: "<WORKDIR_SLUG>" },
        { path: linked, placeholder: asInstalled },
        { path: real, placeholder: asInstalled },
      ];
    },
  },
  scenarios: [
    { name: "text", args: () => ["-p", "Say OK", ...STREAM] },
    {
      name: "tool",
      args: () => ["-p", "Run echo hi in the shell", ...STREAM, "--dangerously-skip-permissions"],
      script: (server) =>
        server.respondWith(
          anthropicReplies.toolThenText("Bash", { command: "echo hi", description: "Print hi" }, (results) => `The command printed: ${results[0]?.text ?? ""}`, {
            preface: "I will run a command.",
          }),
        ),
    },
    {
      name: "stream-input",
      args: () => ["-p", "--input-format", "stream-json", ...STREAM],
      stdin: `${JSON.stringify({ type: "user", message: { role: "user", content: "Say OK" } })}\n`,
    },
    {
      name: "partial-messages",
      args: () => ["-p", "Think, then say OK", ...STREAM, "--include-partial-messages"],
      script: (server) => server.script(anthropicReplies.thinking("Let me think about it.", "OK, thought it through.", { deltaSize: 8 })),
    },
    {
      name: "error-401",
      args: () => ["-p", "Say OK", ...STREAM],
      maxRetries: 2,
      script: (server) => server.respondWith(() => anthropicReplies.error(401)),
    },
    {
      name: "error-500",
      args: () => ["-p", "Say OK", ...STREAM],
      maxRetries: 2,
      script: (server) => server.respondWith(() => anthropicReplies.error(500, { headers: { "request-id": "req_fake_500" } })),
    },
    {
      name: "stream-dropped",
      args: () => ["-p", "Say OK", ...STREAM],
      maxRetries: 2,
      script: (server) => server.script(anthropicReplies.dropMidStream("This answer is cut off")),
    },
    {
      name: "resume",
      continues: "text",
      args: (context) => ["-p", "Say OK again", "--resume", sessionIdOf(context, "text"), ...STREAM],
      script: (server) => server.script((turn) => anthropicReplies.text(`OK, resumed (I see ${turn.body.messages?.length ?? 0} messages)`)),
    },
  ],
});
