// One-off query: `asm.query(provider, prompt, options)` runs a prompt on a fresh session and
// resolves with the final Result (text, usage, cost), or rejects with an AsmError.
import { runExample, verdict, type ExampleMeta } from "./common.js";

const meta: ExampleMeta = { name: "live-query", summary: "one prompt with asm.query, checked against a sentinel", sentinel: "LIVE_QUERY_OK" };

process.exitCode = await runExample(meta, async (asm, config) => {
  const result = await asm.query(config.provider.name, config.prompt, config.options);
  process.stdout.write(`text: ${result.text}\n`);
  process.stdout.write(`tokens: ${result.usage.inputTokens} in / ${result.usage.outputTokens} out, cost: ${result.costUsd === null ? "unknown" : `$${result.costUsd}`}\n`);
  process.stdout.write(`provider session: ${result.providerSessionId ?? "(none)"}, lane: ${String(result.metadata.lane)}\n`);
  return verdict(meta, config, result.text);
});
