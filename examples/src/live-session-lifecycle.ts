// Session lifecycle: start a session with defaults, inspect it (info, health), run two prompts
// (the second continues the provider session automatically), read the session's cost, stop it.
import { runExample, verdict, type ExampleMeta } from "./common.js";

const meta: ExampleMeta = { name: "live-session-lifecycle", summary: "a session: info, health, two prompts, cost, stop", sentinel: "LIVE_SESSION_OK" };

process.exitCode = await runExample(meta, async (asm, config) => {
  const session = await asm.startSession({ provider: config.provider.name, ...config.options });
  const info = asm.sessionInfo(session);
  process.stdout.write(`session ${info.sessionId}: ${info.provider}, ${info.status}, up to ${info.maxConcurrentRuns} run(s) at once\n`);
  process.stdout.write(`health: ${asm.health(session).status}\n`);

  const first = await session.query(config.prompt);
  process.stdout.write(`first: ${first.text} (provider session ${first.providerSessionId ?? "none"})\n`);
  const second = await session.query(config.checkSentinel ? `Reply with exactly: ${meta.sentinel}` : config.prompt);
  process.stdout.write(`second: ${second.text}\n`);
  process.stdout.write(`checkpoint: ${asm.checkpoint(session)?.providerSessionId ?? "none"}\n`);

  const cost = asm.cost(session);
  process.stdout.write(
    `session cost: ${cost.inputTokens} in / ${cost.outputTokens} out tokens, ${cost.costUsd === null ? "unknown" : `$${cost.costUsd}`}${cost.costComplete ? "" : " (lower bound)"}\n`,
  );
  await asm.stopSession(session);
  const after = asm.health(session);
  process.stdout.write(`after stop: ${after.status}${after.status === "unhealthy" ? ` (${after.reason})` : ""}\n`);
  return after.status === "unhealthy" && verdict(meta, config, first.text) && verdict(meta, config, second.text);
});
