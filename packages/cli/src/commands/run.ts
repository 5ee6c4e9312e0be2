import { readFile } from "node:fs/promises";
import { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { resolvePermissionFlags } from "../args/permission-flags.js";
import { parseRunArgs } from "../args/run-args.js";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { loadLanes } from "../lanes.js";
import { findProvider, loadProviders } from "../providers.js";
import { RUN_USAGE } from "../usage.js";
import { executeRun } from "./execute-run.js";

/**
 * `asm run "<prompt>" --provider <name> [flags]`: one prompt on one provider, rendered live.
 * Returns the exit code.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const request = parseRunArgs(argv, io.env);
  if (request.help) {
    await print(io.stdout, RUN_USAGE);
    return 0;
  }
  const providers = loadProviders();
  const provider = findProvider(request.provider, providers);
  const asm = createAsm({ providers, lanes: loadLanes() });
  try {
    const permission = resolvePermissionFlags(
      { flag: request.permissionMode, dangerFullAccess: request.dangerFullAccess },
      (native) => asm.permissionMode(provider.name, native).normalizedMode,
    );
    const prompt = request.prompt ?? (await readPrompt(io));
    const sessionOptions: Record<string, unknown> = { ...request.sessionOptions };
    if (permission !== undefined) sessionOptions.permissionMode = permission.mode;
    // Claude prints whole messages unless asked for partial ones; live text is the point here.
    if (provider.name === "claude" && !request.output.json) sessionOptions.includePartialMessages = true;
    const session = await asm.startSession({ provider: provider.name, ...sessionOptions });
    const stream = session.stream(prompt, request.runOptions);
    const outcome = await executeRun({ asm, stream, io, output: request.output, label: provider.name });
    return outcome.exitCode;
  } finally {
    await asm.dispose();
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
