import type { PipelinePlug } from "@asm/core";
import { broadcasterPlug, connectUrl, createBroadcaster } from "@asm/pubsub";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";

/** Environment variable holding the pub/sub token (Phoenix bearer or NATS), kept off the command line. */
export const PUBSUB_TOKEN_ENV = "ASM_PUBSUB_TOKEN";

/**
 * Takes `--publish <url>` (or `--publish=<url>`) out of `asm run`'s arguments, so the run flags
 * parse as before. Returns the rest and the URL.
 */
export function takePublishFlag(argv: readonly string[]): { argv: string[]; url: string | undefined } {
  const rest: string[] = [];
  let url: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === "--publish" || arg.startsWith("--publish=")) {
      const value = arg === "--publish" ? argv[++index] : arg.slice("--publish=".length);
      if (value === undefined || value.trim() === "") throw usageError("--publish needs a URL: phoenix:ws://host:port/socket or nats://host:port", { flag: "--publish" });
      url = value.trim();
      continue;
    }
    rest.push(arg);
  }
  return { argv: rest, url };
}

/** A publisher for one `asm run`: the pipeline plug, and `close()` that flushes and reports losses. */
export interface RunPublisher {
  plug: PipelinePlug;
  close(): Promise<void>;
}

/**
 * Opens the adapter of `url` and a broadcaster on it. Publishing never holds up the run: losses
 * (queue drops, failed dispatches) are counted and reported on stderr when the run ends.
 */
export async function openRunPublisher(url: string, io: CliIo): Promise<RunPublisher> {
  const token = io.env[PUBSUB_TOKEN_ENV];
  const { adapter, prefix } = await connectUrl(url, token === undefined || token === "" ? {} : { token });
  const broadcaster = createBroadcaster({ adapter, prefix, source: "asm-run" });
  return {
    plug: broadcasterPlug(broadcaster),
    async close() {
      // Up to 5 s for the last events; whatever is still queued then counts as dropped.
      await broadcaster.close(5_000);
      const { dropped, failed, errors } = broadcaster.stats();
      if (dropped > 0 || failed > 0) {
        const cause = broadcaster.lastError ? ` (last error ${broadcaster.lastError.code}: ${broadcaster.lastError.reason})` : "";
        await print(io.stderr, `asm: publishing to ${adapter.name} lost ${dropped + failed} event(s): ${dropped} dropped, ${failed} in ${errors} failed dispatch(es)${cause}\n`);
      }
    },
  };
}
