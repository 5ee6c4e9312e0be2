import { query, type SDKMessage } from "@anthropic-ai/claude-agent-sdk";
import { FAKE_CLAUDE_PATH, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";

/** What one `query()` yielded. */
export interface SdkQueryResult {
  /** Messages yielded by the generator. */
  messages: number;
  /** Whether a `result` message arrived. */
  sawResult: boolean;
}

/**
 * The peer: the Claude Agent SDK's `query()` with `pathToClaudeCodeExecutable` pointing at the
 * same fake, a string prompt, partial messages on. `onMessage` sees every message.
 */
export async function sdkQuery(scenario: FakeScenario, onMessage?: (message: SDKMessage) => void): Promise<SdkQueryResult> {
  const q = query({
    prompt: "Run the benchmark",
    options: {
      pathToClaudeCodeExecutable: FAKE_CLAUDE_PATH,
      env: { ...process.env, ...fakeEnv(scenario) },
      includePartialMessages: true,
    },
  });
  let messages = 0;
  let sawResult = false;
  for await (const message of q) {
    messages += 1;
    if (message.type === "result") sawResult = true;
    onMessage?.(message);
  }
  return { messages, sawResult };
}
