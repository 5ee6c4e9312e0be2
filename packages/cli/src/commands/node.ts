import { startRemoteNode } from "@asm/remote";
import { booleanFlag, parseFlags, stringFlag, stringListFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { NATS_TOKEN_ENV, natsOptions } from "./remote-flags.js";

/** `asm node --help`. */
export const NODE_USAGE = `usage: asm node --nats <url> --name <node> [--creds <file>] [--max-runs N] [flags]

Runs a remote node: connects to the NATS server, announces itself (ASM version, capabilities,
free slots) and starts provider CLIs for clients that run with \`asm run --remote <node|any>\` or
\`executionMode: "remote_node"\`. SIGTERM or Ctrl-C stops it: it publishes node_down, ends its
runs and drains.

  --nats <url>          nats://host:port (comma-separated for several servers)
  --name <node>         this node's name: [A-Za-z0-9_-], unique among connected nodes
  --creds <file>        NATS credentials file (JWT + nkey seed)
  --max-runs <N>        runs at once (default 4); a full node answers busy
  --label <k=v>         a label fleet placement may select on (repeatable)
  --root <dir>          a folder runs' working directories must lie in (repeatable)
  --heartbeat-ms <ms>   heartbeat interval (default 500)
  --not-ready           start not ready: runs wait for a client's ensure_started

A NATS token is read from ${NATS_TOKEN_ENV}.
`;

const NODE_FLAGS = {
  nats: { type: "string" },
  name: { type: "string" },
  creds: { type: "string" },
  "max-runs": { type: "string" },
  label: { type: "string", multiple: true },
  root: { type: "string", multiple: true },
  "heartbeat-ms": { type: "string" },
  "not-ready": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw usageError(`${flag} must be a positive integer, got "${value}"`, { flag });
  return number;
}

/** `asm node --nats <url> --name <node>`: serves runs until SIGTERM or Ctrl-C. */
export async function nodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, NODE_FLAGS, "node");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, NODE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm node takes no arguments (got "${positionals.join(" ")}")`);
  const name = stringFlag(values, "name");
  if (name === undefined) throw usageError("asm node needs --name <node>", { flag: "--name" });
  const labels: Record<string, string> = {};
  for (const label of stringListFlag(values, "label") ?? []) {
    const [key, ...rest] = label.split("=");
    if (key === undefined || key === "" || rest.length === 0) throw usageError(`--label takes key=value, got "${label}"`, { flag: "--label" });
    labels[key] = rest.join("=");
  }
  const maxRuns = positiveInteger(stringFlag(values, "max-runs"), "--max-runs");
  const heartbeatMs = positiveInteger(stringFlag(values, "heartbeat-ms"), "--heartbeat-ms");
  const roots = stringListFlag(values, "root");
  const node = await startRemoteNode({
    name,
    nats: natsOptions(stringFlag(values, "nats"), stringFlag(values, "creds"), io.env),
    labels,
    ...(maxRuns === undefined ? {} : { maxRuns }),
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(roots === undefined ? {} : { roots }),
    startNotReady: booleanFlag(values, "not-ready"),
  });
  await print(io.stderr, `asm node: ${name} ready\n`);
  const stop = (reason: string) => void node.stop(reason);
  const removeInterrupt = io.onInterrupt(() => stop("interrupted"));
  const onTerm = () => stop("received SIGTERM");
  process.once("SIGTERM", onTerm);
  try {
    await node.closed;
  } finally {
    removeInterrupt();
    process.off("SIGTERM", onTerm);
  }
  await print(io.stderr, `asm node: ${name} stopped\n`);
  return 0;
}
