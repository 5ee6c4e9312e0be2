import { readFile } from "node:fs/promises";
import { AsmError, type AsmEvent } from "@asm/contract";
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
import { takeExtensionFlags } from "../options/extension-flags.js";
import { takeStoreFlags } from "../options/store-flags.js";
import { extensionPlugs, printSnapshotSummary, routedStream, routeProvider, snapshotBefore, snapshotRoot } from "./run-extensions.js";
import { acknowledgedStream, checkStoredSession, openRunStore, printStoredSession } from "./run-store.js";
import { loadToolsModule, takeToolsFlag } from "./tools-flag.js";

/**
 * `asm run "<prompt>" --provider <name> [flags]`: one prompt on one provider, rendered live.
 * Returns the exit code.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const toolsFlag = takeToolsFlag(argv);
  const publish = takePublishFlag(toolsFlag.argv);
  const remoteFlags = takeRemoteFlags(publish.argv);
  const storeFlags = takeStoreFlags(remoteFlags.argv, io.env);
  const extensions = takeExtensionFlags(storeFlags.argv);
  const providers = loadProviders();
  const help = extensions.argv.some((arg) => arg === "--help" || arg === "-h");
  // --route names the providers and a stored session knows its own: the run's flags are read for that one.
  const routed = help ? undefined : routeProvider(extensions, extensions.argv, providers, storeFlags.sessionId);
  const runStore = help ? null : await openRunStore(storeFlags);
  const implied = routed ?? runStore?.session?.provider;
  let request;
  try {
    request = parseRunArgs(extensions.argv, implied === undefined ? io.env : { ...io.env, ASM_PROVIDER: implied });
    if (runStore) checkStoredSession(runStore, request);
    if (remoteFlags.node !== undefined && (extensions.route !== null || storeFlags.sessionId !== null)) {
      throw usageError(`${extensions.route !== null ? "--route" : "--session"} cannot be combined with a remote node yet`, { flag: extensions.route !== null ? "--route" : "--session" });
    }
  } catch (error) {
    await runStore?.store.close();
    throw error;
  }
  if (request.help) {
    await print(io.stdout, RUN_USAGE);
    return 0;
  }
  const provider = findProvider(request.provider, providers);
  const tools = toolsFlag.path === undefined ? undefined : await loadToolsModule(toolsFlag.path);
  const remote = openRemoteClient(remoteFlags, io.env);
  const config = { ...(runStore ? { store: runStore.store } : {}), ...(remote ? { remoteBackend: remote.remoteBackend } : {}) };
  const asm = createAsm({ providers, lanes: loadLanes(), ...(tools === undefined ? {} : { tools }), config });
  const publisher = publish.url === undefined ? null : await openRunPublisher(publish.url, io);
  let decisions: StdinDecisions | null = null;
  try {
    const sessionOptions = sessionOptionsFor(request, provider, asm);
    const prompt = request.prompt ?? (await readPrompt(io));
    const plugs = [...(publisher ? [publisher.plug] : []), ...extensionPlugs(extensions)];
    const runOptions = plugs.length > 0 ? { ...request.runOptions, pipeline: plugs } : request.runOptions;
    const placement = remoteFlags.node === undefined ? {} : { executionMode: "remote_node" as const, remote: { node: remoteFlags.node, ...(remoteFlags.durable ? { durable: true } : {}) } };
    // With --json and a prompt on the command line, stdin is free to carry approval decisions.
    decisions = request.output.json && request.prompt !== null && io.stdin.isTTY !== true ? new StdinDecisions(io.stdin, io.stderr) : null;
    const before = await snapshotBefore(extensions, snapshotRoot(sessionOptions, io));
    let stream: AsyncIterable<AsmEvent> & { runId: string };
    if (extensions.route !== null) {
      stream = routedStream(asm, extensions.route, (name) => sessionOptionsFor(request, findProvider(name, providers), asm), prompt, runOptions);
    } else {
      const session = runStore?.session
        ? await asm.restoreSession(runStore.session.id, { store: runStore.store, ...sessionOptions })
        : await asm.startSession({ provider: provider.name, ...sessionOptions, ...placement });
      stream = session.stream(prompt, runOptions);
    }
    if (runStore) stream = acknowledgedStream(asm, stream);
    const label = extensions.route?.join("→") ?? provider.name;
    const outcome = await executeRun({ asm, stream, io, output: request.output, label, allowTools: request.allowTools, decisions, limits: request.limits });
    if (before !== null) await printSnapshotSummary(io, request.output.json, before);
    if (runStore) await printStoredSession(io, request.output.json, runStore, outcome.events);
    return outcome.exitCode;
  } finally {
    decisions?.close();
    await asm.dispose();
    await publisher?.close();
    await runStore?.store.close();
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
