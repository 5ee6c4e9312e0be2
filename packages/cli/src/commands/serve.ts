import { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { consumerManifest, startEndpointServer } from "@asm/endpoint";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider, loadProviders } from "../providers.js";

/** `asm serve --help`. */
export const SERVE_USAGE = `usage: asm serve --provider <claude|codex|gemini|amp> [flags]

Serves an OpenAI-compatible chat-completions endpoint on loopback until Ctrl-C.

  --provider <name>     provider behind the endpoint (or ASM_PROVIDER)
  --model <id>          the model the endpoint is pinned to (default: the provider's default)
  --port <n>            port (default: a free one)
  --host <address>      interface to bind (default 127.0.0.1; binding elsewhere exposes it)
  --cli-path <path>     the provider CLI binary to run
  --cwd <dir>           working directory of the agent
  --json                print one line {"baseUrl", "token", "model"} once ready
  -h, --help            this help

The bearer token is ASM_ENDPOINT_TOKEN when set (at least 16 characters), else a fresh one.
`;

const FLAGS = {
  provider: { type: "string" },
  model: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "cli-path": { type: "string" },
  cwd: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw usageError(`--port must be an integer 0–65535, got ${value}`);
  return port;
}

/**
 * `asm serve`: one lease of the OpenAI-compatible endpoint for one provider and model, served
 * until Ctrl-C; every run through it is interrupted and awaited on exit.
 */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, "serve");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm serve takes no arguments, got ${positionals.join(" ")}`);
  const providerName = stringFlag(values, "provider") ?? io.env.ASM_PROVIDER;
  if (providerName === undefined) throw usageError("asm serve needs --provider <name>");
  const providers = loadProviders();
  const provider = findProvider(providerName, providers);
  const model = stringFlag(values, "model") ?? provider.models.defaultModel ?? undefined;
  if (model === undefined) throw new AsmError("config_invalid", `${provider.name} has no default model: pass --model`, { details: { key: "model" } });
  const port = portOf(stringFlag(values, "port"));
  const host = stringFlag(values, "host");
  const sessionOptions: Record<string, unknown> = {};
  const cliPath = stringFlag(values, "cli-path");
  if (cliPath !== undefined) sessionOptions.cliPath = cliPath;
  const cwd = stringFlag(values, "cwd");
  if (cwd !== undefined) sessionOptions.cwd = cwd;
  // Chat clients stream: Claude sends text deltas only when asked for partial messages.
  if (provider.name === "claude") sessionOptions.includePartialMessages = true;

  const asm = createAsm({ providers });
  const server = await startEndpointServer({ asm, ...(host === undefined ? {} : { host }), ...(port === undefined ? {} : { port }) });
  try {
    const token = io.env.ASM_ENDPOINT_TOKEN;
    const lease = await server.ensureEndpoint({ modelPreference: { provider: provider.name, id: model } }, consumerManifest(), {
      sessionOptions,
      ...(token === undefined || token === "" ? {} : { token }),
    });
    const stopped = new Promise<void>((resolve) => {
      const remove = io.onInterrupt(() => {
        remove();
        resolve();
      });
    });
    if (booleanFlag(values, "json")) {
      await print(io.stdout, `${JSON.stringify({ baseUrl: lease.descriptor.baseUrl, token: lease.token, model })}\n`);
    } else {
      await print(io.stdout, `asm serve: ${provider.name} (${model}) at ${lease.descriptor.baseUrl}\ntoken: ${lease.token}\nCtrl-C stops.\n`);
    }
    if (!server.loopbackOnly) await print(io.stderr, `asm serve: listening on ${server.url}, beyond loopback: anyone who can reach it and holds the token can run the agent\n`);
    await stopped;
    return 0;
  } finally {
    await server.close();
    await asm.dispose();
  }
}
