import { readFile } from "node:fs/promises";
import { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { parseRunArgs } from "../args/run-args.js";
import { StdinDecisions } from "../approvals/stdin-decisions.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { loadLanes } from "../lanes.js";
import { findProvider, loadProviders } from "../providers.js";
import { RUN_USAGE } from "../usage.js";
import { executeRun } from "./execute-run.js";
import { openRunPublisher, takePublishFlag } from "./publish-flag.js";
import { openRemoteClient, takeRemoteFlags } from "./remote-flags.js";
import { sessionOptionsFor } from "./session-options.js";
import { loadToolsModule, takeToolsFlag } from "./tools-flag.js";

/**
 * `asm run "<prompt>" --provider <name> [flags]`: one prompt on one provider, rendered live.
 * Returns the exit code.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const toolsFlag = takeToolsFlag(argv);
  const publish = takePublishFlag(toolsFlag.argv);
  const remoteFlags = takeRemoteFlags(publish.argv);
  const request = parseRunArgs(remoteFlags.argv, io.env);
  if (request.help) {
    await print(io.stdout, RUN_USAGE);
    return 0;
  }
  const providers = loadProviders();
  const provider = findProvider(request.provider, providers);
  const tools = toolsFlag.path === undefined ? undefined : await loadToolsModule(toolsFlag.path);
  const remote = openRemoteClient(remoteFlags, io.env);
  const asm = createAsm({
    providers,
    lanes: loadLanes(),
    ...(tools === undefined ? {} : { tools }),
    ...(remote ? { config: { remoteBackend: remote.remoteBackend } } : {}),
  });
  const publisher = publish.url === undefined ? null : await openRunPublisher(publish.url, io);
  let decisions: StdinDecisions | null = null;
  try {
    const sessionOptions = sessionOptionsFor(request, provider, asm);
    const prompt = request.prompt ?? (await readPrompt(io));
    const placement = remoteFlags.node === undefined ? {} : { executionMode: "remote_node" as const, remote: { node: remoteFlags.node, ...(remoteFlags.durable ? { durable: true } : {}) } };
    const session = await asm.startSession({ provider: provider.name, ...sessionOptions, ...placement });
    const runOptions = publisher ? { ...request.runOptions, pipeline: [publisher.plug] } : request.runOptions;
    // With --json and a prompt on the command line, stdin is free to carry approval decisions.
    decisions = request.output.json && request.prompt !== null && io.stdin.isTTY !== true ? new StdinDecisions(io.stdin, io.stderr) : null;
    const stream = session.stream(prompt, runOptions);
    const outcome = await executeRun({ asm, stream, io, output: request.output, label: provider.name, allowTools: request.allowTools, decisions, limits: request.limits });
    return outcome.exitCode;
  } finally {
    decisions?.close();
    await asm.dispose();
    await publisher?.close();
    await remote?.close();
  }
}

async function readPrompt(io: CliIo): Promise<string> {
  if (io.stdin.isTTY === true) throw usageError('asm run needs a prompt: asm run "<prompt>" --provider <name> (or pipe it on stdin)');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const prompt = Buffer.concat(chunks).toString("utf8").trim();
  if (prompt === "") throw usageError("the prompt read from stdin is empty");
  return prompt;
}

/** Reads a text file for a command, turning a missing file into a clear `config_invalid` error. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new AsmError("config_invalid", `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
      details: { path },
    });
  }
}
