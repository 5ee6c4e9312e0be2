// Streaming: `asm.stream(provider, prompt, options)` yields normalized events as they happen;
// `finalResult(events)` reduces them to the same Result `query` returns.
import type { AsmEvent, ContentBlock } from "@asm/contract";
import { finalResult } from "@asm/core";
import { runExample, verdict, type ExampleMeta } from "./common.js";

const meta: ExampleMeta = { name: "live-stream", summary: "stream one prompt's events, checked against a sentinel", sentinel: "LIVE_STREAM_OK" };

process.exitCode = await runExample(meta, async (asm, config) => {
  const events: AsmEvent[] = [];
  for await (const event of asm.stream(config.provider.name, config.prompt, config.options)) {
    events.push(event);
    if (event.kind === "assistant_delta") process.stdout.write(event.payload.content);
    else if (event.kind === "assistant_message") process.stdout.write(`\n[assistant_message] ${textOf(event.payload.content)}`);
    else if (event.kind === "tool_use") process.stdout.write(`\n[tool_use] ${event.payload.toolName} ${JSON.stringify(event.payload.input)}`);
    else process.stdout.write(`\n[${event.kind}]`);
  }
  process.stdout.write("\n");
  const result = finalResult(events);
  process.stdout.write(`${events.length} events, status ${result.status}, text: ${result.text}\n`);
  if (result.error) process.stdout.write(`error: ${result.error.code}: ${result.error.reason}\n`);
  return result.status === "completed" && verdict(meta, config, result.text);
});

function textOf(blocks: ContentBlock[]): string {
  return blocks.map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : "")).join("");
}
