import type { AnthropicMessageReply, AnthropicResponder } from "@asm/testkit";

/** The demo's prompt. */
export const DEMO_PROMPT = "Run `echo hello from a real tool call` in the shell and tell me what it printed.";

/** The command the fake model asks Claude Code to run. */
const DEMO_COMMAND = "echo hello from a real tool call";

// Small deltas with a short pause between them, so the answer visibly streams.
const STREAMING = { deltaSize: 6, chunkDelayMs: 20 };

/**
 * The fake model behind the demo: the first call answers with a sentence and a `Bash` tool call;
 * once the request carries the tool's result, it answers with what the command printed.
 */
export const demoResponder: AnthropicResponder = (turn) => {
  const result = turn.toolResults[0];
  if (result !== undefined) {
    const printed = result.text.trim();
    const text = result.isError
      ? `The command failed: ${printed}`
      : `The command printed: "${printed}". That output came from a real shell, run by the real Claude Code binary; the model answering you is a fake server on 127.0.0.1.`;
    return { kind: "message", content: [{ type: "text", text }], ...STREAMING } satisfies AnthropicMessageReply;
  }
  return {
    kind: "message",
    content: [
      { type: "text", text: "I'll run that command in the shell." },
      { type: "tool_use", name: "Bash", input: { command: DEMO_COMMAND, description: "Print a greeting" } },
    ],
    ...STREAMING,
  } satisfies AnthropicMessageReply;
};
