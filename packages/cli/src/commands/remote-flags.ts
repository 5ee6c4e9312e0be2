import { createRemoteClient, type NatsOptions, type RemoteClient } from "@asm/remote";
import { usageError } from "../exit-codes.js";

/** Environment variable holding a NATS token for remote nodes, kept off the command line. */
export const NATS_TOKEN_ENV = "ASM_NATS_TOKEN";

/** The NATS connection options of `--nats <url>` and `--creds <file>`, with the token from the environment. */
export function natsOptions(url: string | undefined, creds: string | undefined, env: NodeJS.ProcessEnv): NatsOptions {
  if (url === undefined || url.trim() === "") throw usageError("--nats needs a server URL: nats://host:port", { flag: "--nats" });
  const token = env[NATS_TOKEN_ENV];
  return {
    servers: url.split(",").map((server) => server.trim()),
    ...(creds === undefined ? {} : { credsFile: creds }),
    ...(token === undefined || token === "" ? {} : { token }),
  };
}

/** What `--remote`, `--nats` and `--creds` asked of `asm run`. */
export interface RemoteFlags {
  argv: string[];
  /** The node (or `any`), when `--remote` was given. */
  node: string | undefined;
  nats: string | undefined;
  creds: string | undefined;
  /** `--durable`: the run's events go through JetStream. */
  durable: boolean;
}

const FLAGS = ["--remote", "--nats", "--creds"] as const;

/**
 * Takes `--remote <node|any>`, `--nats <url>`, `--creds <file>` and `--durable` out of `asm run`'s arguments,
 * so the run flags parse as before.
 */
export function takeRemoteFlags(argv: readonly string[]): RemoteFlags {
  const rest: string[] = [];
  const found: Record<string, string> = {};
  let durable = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === "--durable") {
      durable = true;
      continue;
    }
    const flag = FLAGS.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (flag === undefined) {
      rest.push(arg);
      continue;
    }
    const value = arg === flag ? argv[++index] : arg.slice(flag.length + 1);
    if (value === undefined || value.trim() === "") throw usageError(`${flag} needs a value`, { flag });
    found[flag] = value.trim();
  }
  const node = found["--remote"];
  if (node === undefined && (found["--nats"] !== undefined || found["--creds"] !== undefined || durable)) {
    throw usageError("--nats, --creds and --durable go with --remote <node|any>", { flag: "--remote" });
  }
  if (node !== undefined && found["--nats"] === undefined) throw usageError("--remote needs --nats <url>", { flag: "--nats" });
  return { argv: rest, node, nats: found["--nats"], creds: found["--creds"], durable };
}

/** The remote client of an `asm run --remote`, or null without `--remote`. */
export function openRemoteClient(flags: RemoteFlags, env: NodeJS.ProcessEnv): RemoteClient | null {
  if (flags.node === undefined) return null;
  return createRemoteClient({ nats: natsOptions(flags.nats, flags.creds, env) });
}
