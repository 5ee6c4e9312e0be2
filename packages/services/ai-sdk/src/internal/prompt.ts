import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { AsmError } from "@asm/contract";

/** The key ASM's data is stored under in provider metadata and provider options. */
const METADATA_KEY = "asm";

/** The prompt for a run, and the provider session it continues (if any). */
export interface RunPrompt {
  text: string;
  providerSessionId: string | undefined;
}

function sessionIdOf(options: unknown): string | undefined {
  const asm = (options as Record<string, { providerSessionId?: unknown } | undefined> | undefined)?.[METADATA_KEY];
  return typeof asm?.providerSessionId === "string" && asm.providerSessionId !== "" ? asm.providerSessionId : undefined;
}

/** Text of one message; files and approvals are refused (an agent CLI takes text here). */
function textOf(message: LanguageModelV4Prompt[number], index: number): string {
  if (message.role === "system") return message.content;
  const texts: string[] = [];
  for (const part of message.content) {
    if (part.type === "text" || part.type === "reasoning") {
      if (part.type === "text") texts.push(part.text);
      continue;
    }
    // Tool calls and results of an earlier answer were the agent's own: the provider session has them.
    if (message.role !== "user" && (part.type === "tool-call" || part.type === "tool-result")) continue;
    throw new AsmError("unsupported", `prompt[${index}]: ${part.type} parts are not supported`, { details: { key: `prompt[${index}]` } });
  }
  return texts.join("");
}

/**
 * Turns an AI SDK prompt into a run prompt. A follow-up whose earlier assistant message carries
 * ASM's provider metadata (or whose call names `providerOptions.asm.providerSessionId`) continues
 * that provider session, and only the messages after the last assistant reply are sent.
 */
export function runPromptOf(prompt: LanguageModelV4Prompt, callOptions: unknown): RunPrompt {
  let providerSessionId = sessionIdOf(callOptions);
  let start = 0;
  prompt.forEach((message, index) => {
    if (message.role !== "assistant") return;
    const fromParts = message.content.map((part) => sessionIdOf(part.providerOptions)).find((id) => id !== undefined);
    const found = fromParts ?? sessionIdOf(message.providerOptions);
    if (found) {
      providerSessionId ??= found;
      if (found === providerSessionId) start = index + 1;
    }
  });
  const selected = prompt.slice(start).map((message, offset) => ({ role: message.role, text: textOf(message, start + offset) })).filter((entry) => entry.text.trim() !== "");
  if (selected.length === 0) throw new AsmError("config_invalid", "the prompt has no new text to send", { details: { key: "prompt" } });
  const [only] = selected;
  const text = selected.length === 1 && only?.role === "user" ? only.text : selected.map((entry) => `${entry.role}: ${entry.text}`).join("\n");
  return { text, providerSessionId };
}
