import { createAsm } from "@asm/core";
import { serveAcp } from "@asm/acp";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider, loadProviders } from "../providers.js";

/** `asm acp --help`. */
export const ACP_USAGE = `usage: asm acp --provider <claude|codex|gemini|amp> [flags]

Speaks the Agent Client Protocol as an agent on stdin/stdout, so an editor that speaks ACP can
drive the provider. Runs until the editor closes the connection or Ctrl-C.

  --provider <name>     provider behind the agent (or ASM_PROVIDER)
  --model <id>          model id or alias
  --cli-path <path>     the provider CLI binary to run
  -h, --help            this help
`;

const FLAGS = {
  provider: { type: "string" },
  model: { type: "string" },
  "cli-path": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `asm acp`: an ACP agent over stdio for one provider; every run is interrupted on exit. */
export async function acpCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, "acp");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, ACP_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`asm acp takes no arguments, got ${positionals.join(" ")}`);
  const providerName = stringFlag(values, "provider") ?? io.env.ASM_PROVIDER;
  if (providerName === undefined) throw usageError("asm acp needs --provider <name>");
  const providers = loadProviders();
  const provider = findProvider(providerName, providers);
  const sessionOptions: Record<string, unknown> = {};
  const model = stringFlag(values, "model");
  if (model !== undefined) sessionOptions.model = model;
  const cliPath = stringFlag(values, "cli-path");
  if (cliPath !== undefined) sessionOptions.cliPath = cliPath;
  // Editors render text as it arrives: Claude sends deltas only when asked for partial messages.
  if (provider.name === "claude") sessionOptions.includePartialMessages = true;

  const asm = createAsm({ providers });
  // stdout carries the protocol: nothing else may be printed there.
  const connection = serveAcp({ asm, provider: provider.name, sessionOptions, input: io.stdin, output: io.stdout });
  const remove = io.onInterrupt(() => connection.close());
  try {
    await connection.closed;
    return 0;
  } finally {
    remove();
    await asm.dispose();
  }
}
