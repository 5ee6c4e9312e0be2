import { createRemoteClient } from "@asm/remote";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { NATS_TOKEN_ENV, natsOptions } from "./remote-flags.js";

/** `asm nodes --help`. */
export const NODES_USAGE = `usage: asm nodes --nats <url> [--creds <file>] [--json]

Lists the remote nodes connected to the NATS server: name, ASM and Node versions, capabilities,
free slots and labels.

  --nats <url>      nats://host:port
  --creds <file>    NATS credentials file
  --json            one JSON object per node
  --wait-ms <ms>    how long to collect answers (default 500)

A NATS token is read from ${NATS_TOKEN_ENV}.
`;

const NODES_FLAGS = {
  nats: { type: "string" },
  creds: { type: "string" },
  json: { type: "boolean" },
  "wait-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `asm nodes --nats <url>`: the connected nodes. */
export async function nodesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, NODES_FLAGS, "nodes");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, NODES_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm nodes takes no arguments (got "${positionals.join(" ")}")`);
  const waitRaw = stringFlag(values, "wait-ms");
  const waitMs = waitRaw === undefined ? 500 : Number(waitRaw);
  if (!Number.isInteger(waitMs) || waitMs < 1) throw usageError(`--wait-ms must be a positive integer, got "${String(waitRaw)}"`, { flag: "--wait-ms" });
  const client = createRemoteClient({ nats: natsOptions(stringFlag(values, "nats"), stringFlag(values, "creds"), io.env) });
  try {
    const nodes = await client.listNodes(waitMs);
    if (booleanFlag(values, "json")) {
      for (const node of nodes) await print(io.stdout, `${JSON.stringify(node)}\n`);
      return 0;
    }
    if (nodes.length === 0) {
      await print(io.stdout, "no nodes\n");
      return 0;
    }
    for (const node of nodes) {
      const labels = Object.entries(node.labels ?? {}).map(([key, value]) => `${key}=${value}`).join(",");
      const state = node.ready ? `${node.max_runs - node.active_runs}/${node.max_runs} free` : "not ready";
      await print(io.stdout, `${node.node}  asm ${node.asm_version}  node ${node.runtime.version}  ${state}  ${node.capabilities.join(",")}${labels === "" ? "" : `  ${labels}`}\n`);
    }
    return 0;
  } finally {
    await client.close();
  }
}
