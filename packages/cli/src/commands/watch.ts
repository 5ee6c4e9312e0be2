import type { AsmEvent } from "@asm/contract";
import { compactRenderer, jsonlSink, renderStream, ttySink, verboseRenderer } from "@asm/rendering";
import { connectUrl, eventsTopic, isPubSubPayload, messages, sessionTopic } from "@asm/pubsub";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { PUBSUB_TOKEN_ENV } from "./publish-flag.js";

/** `asm watch --help`. */
export const WATCH_USAGE = `usage: asm watch --subscribe <url> [--session <id>] [--json] [--once]

Follows live sessions that an \`asm run --publish <url>\` (or any ASM publisher) sends to a bus,
and renders them as \`asm run\` does: every session, or one with --session.

  --subscribe <url>   phoenix:ws://host:port/socket[?topic_prefix=…] or nats://host:port[?topic_prefix=…]
  --session <id>      only this ASM session
  --json              the events as JSONL, exactly as \`asm run --json\` prints them
  --verbose           one line per event with every field
  --once              exit after the first run completes
  --no-color          plain text (NO_COLOR works too)

The token for the bus (Phoenix bearer or NATS) is read from ${PUBSUB_TOKEN_ENV}. Ctrl-C stops.
`;

const WATCH_FLAGS = {
  subscribe: { type: "string" },
  session: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  once: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `asm watch --subscribe <url> [--session <id>] [--json]`: renders live sessions from a bus. */
export async function watchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, WATCH_FLAGS, "watch");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, WATCH_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm watch takes no arguments (got "${positionals.join(" ")}")`);
  const url = stringFlag(values, "subscribe");
  if (url === undefined || url.trim() === "") throw usageError("asm watch needs --subscribe <url>", { flag: "--subscribe" });
  const session = stringFlag(values, "session");
  const json = booleanFlag(values, "json");
  const once = booleanFlag(values, "once");
  const color = !booleanFlag(values, "no-color") && (io.env.NO_COLOR ?? "") === "" && io.stdout.isTTY === true;

  const token = io.env[PUBSUB_TOKEN_ENV];
  const { adapter, prefix } = await connectUrl(url.trim(), token === undefined || token === "" ? {} : { token });
  const topic = session === undefined ? eventsTopic(prefix) : sessionTopic(session, prefix);
  const stop = new AbortController();
  const removeInterrupt = io.onInterrupt(() => stop.abort());
  try {
    const subscription = await messages(adapter, topic, { signal: stop.signal });
    await print(io.stderr, `asm: watching ${topic} on ${adapter.name}\n`);
    const outcome = await renderStream(events(subscription, once), {
      renderer: booleanFlag(values, "verbose")
        ? verboseRenderer({ color })
        : compactRenderer({ color, messageChars: Number.POSITIVE_INFINITY, omit: ["raw", "stderr", "cost_update"], footer: false }),
      sinks: [json ? jsonlSink({ stream: io.stdout }) : ttySink({ stream: io.stdout, stripAnsi: !color })],
    });
    if (!outcome.ok) {
      await print(io.stderr, `asm watch: ${outcome.error.code}: ${outcome.error.reason}\n`);
      return 1;
    }
    return 0;
  } finally {
    removeInterrupt();
    await adapter.close();
  }
}

async function* events(subscription: AsyncIterable<{ payload: unknown }>, once: boolean): AsyncGenerator<AsmEvent> {
  for await (const { payload } of subscription) {
    if (!isPubSubPayload(payload)) continue;
    yield payload.event;
    if (once && payload.event.kind === "run_completed") return;
  }
}
