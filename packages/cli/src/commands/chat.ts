import { createInterface } from "node:readline";
import { createAsm } from "@asm/core";
import { parseRunArgs } from "../args/run-args.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import { findProvider, loadProviders } from "../providers.js";
import { CHAT_USAGE } from "../usage.js";
import { executeRun } from "./execute-run.js";
import { sessionOptionsFor } from "./session-options.js";

/**
 * `asm chat --provider <name> [flags]`: a multi-turn conversation in one process. On a terminal
 * each line typed at the `>` prompt is one turn, rendered live as in `asm run` (Ctrl-C
 * interrupts the turn, Ctrl-D ends the chat); without one, each stdin line is one turn, and with
 * `--json` the events of every turn are printed. The session carries the conversation from turn
 * to turn. Returns 0, or the exit code of the last turn that failed (interrupted turns do not count).
 */
export async function chatCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const request = parseRunArgs(argv, io.env);
  if (request.help) {
    await print(io.stdout, CHAT_USAGE);
    return 0;
  }
  if (request.prompt !== null) throw usageError("asm chat takes no prompt argument: type each prompt at the > prompt, or pipe them in, one per line");
  const providers = loadProviders();
  const provider = findProvider(request.provider, providers);
  const asm = createAsm({ providers });
  try {
    const session = await asm.startSession({ provider: provider.name, ...sessionOptionsFor(request, provider, asm) });
    const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
    if (terminal) await print(io.stdout, `asm chat with ${provider.name}: type a prompt and Enter; Ctrl-C interrupts a turn, Ctrl-D ends the chat.\n`);
    let exitCode: number = EXIT_CODES.success;
    let first = true;
    const turn = async (prompt: string) => {
      // --resume applies to the first turn; the session continues itself after that.
      const stream = session.stream(prompt, first ? request.runOptions : {});
      first = false;
      const outcome = await executeRun({ asm, stream, io, output: request.output, label: provider.name, allowTools: request.allowTools, limits: request.limits });
      // A turn the user interrupted is their choice, not a failure of the chat.
      if (outcome.exitCode !== EXIT_CODES.success && outcome.exitCode !== EXIT_CODES.user_cancelled) exitCode = outcome.exitCode;
    };
    if (terminal) await terminalTurns(io, turn);
    else await pipedTurns(io, turn);
    return exitCode;
  } finally {
    await asm.dispose();
  }
}

// One readline per prompt, closed before the turn runs, so approvals and Ctrl-C during the turn
// reach `executeRun` and not a line editor nobody sees.
async function terminalTurns(io: CliIo, turn: (prompt: string) => Promise<void>): Promise<void> {
  for (;;) {
    const line = await promptLine(io);
    if (line === null) {
      await print(io.stdout, "\n");
      return;
    }
    if (line.trim() !== "") await turn(line.trim());
  }
}

function promptLine(io: CliIo): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
    let answered = false;
    rl.on("SIGINT", () => {
      // Ctrl-C at the prompt clears the line; Ctrl-D is how a chat ends.
      io.stdout.write("^C (Ctrl-D ends the chat)\n");
      rl.prompt();
    });
    rl.on("close", () => {
      if (!answered) resolve(null);
    });
    rl.setPrompt("> ");
    rl.prompt();
    rl.once("line", (text) => {
      answered = true;
      rl.close();
      resolve(text);
    });
  });
}

async function pipedTurns(io: CliIo, turn: (prompt: string) => Promise<void>): Promise<void> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  for await (const line of rl) {
    if (line.trim() !== "") await turn(line.trim());
  }
}

