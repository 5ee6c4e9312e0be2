import { isAsmError, type AsmError } from "@asm/contract";
import { flagHints } from "./args/flag-hints.js";
import { ACP_USAGE, acpCommand } from "./commands/acp.js";
import { chatCommand } from "./commands/chat.js";
import { demoCommand } from "./commands/demo.js";
import { doctorCommand } from "./commands/doctor.js";
import { HISTORY_USAGE, historyCommand } from "./commands/history.js";
import { NODE_USAGE, nodeCommand } from "./commands/node.js";
import { NODES_USAGE, nodesCommand } from "./commands/nodes.js";
import { parseCommand } from "./commands/parse.js";
import { providersCommand } from "./commands/providers.js";
import { ROLLBACK_USAGE, rollbackCommand } from "./commands/rollback.js";
import { runCommand } from "./commands/run.js";
import { SERVE_USAGE, serveCommand } from "./commands/serve.js";
import { SESSIONS_USAGE, sessionsCommand } from "./commands/sessions.js";
import { WATCH_USAGE, watchCommand } from "./commands/watch.js";
import { exitCodeFor, isUsageError } from "./exit-codes.js";
import { print, type CliIo } from "./io.js";
import { CHAT_USAGE, DEMO_USAGE, DOCTOR_USAGE, MAIN_USAGE, PARSE_USAGE, PROVIDERS_USAGE, RUN_USAGE } from "./usage.js";

const COMMANDS: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; usage: string }> = {
  run: { run: runCommand, usage: RUN_USAGE },
  chat: { run: chatCommand, usage: CHAT_USAGE },
  parse: { run: parseCommand, usage: PARSE_USAGE },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
  providers: { run: providersCommand, usage: PROVIDERS_USAGE },
  demo: { run: demoCommand, usage: DEMO_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  acp: { run: acpCommand, usage: ACP_USAGE },
  watch: { run: watchCommand, usage: WATCH_USAGE },
  history: { run: historyCommand, usage: HISTORY_USAGE },
  rollback: { run: rollbackCommand, usage: ROLLBACK_USAGE },
  node: { run: nodeCommand, usage: NODE_USAGE },
  nodes: { run: nodesCommand, usage: NODES_USAGE },
  sessions: { run: sessionsCommand, usage: SESSIONS_USAGE },
};

/**
 * Runs `asm` with the given arguments and returns the exit code. Errors become a message on
 * stderr and their exit code (usage errors: one line, the command's synopsis and a pointer to `--help`).
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    await print(name === undefined ? io.stderr : io.stdout, MAIN_USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    await print(io.stdout, "asm 0.1.0\n");
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    await print(io.stderr, `asm: usage: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")} (asm --help)\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isUsageError(error)) {
      // One line saying what is wrong, the synopsis, and where the rest is: not the whole help.
      const synopsis = command.usage.split("\n")[0] ?? "";
      await print(io.stderr, `asm ${name}: usage: ${(error as AsmError).reason}\n${synopsis}   (asm ${name} --help lists every flag)\n`);
      return exitCodeFor(error);
    }
    const message = isAsmError(error) ? `${error.code}: ${flagHints(error.reason)}` : String((error as Error)?.stack ?? error);
    await print(io.stderr, `asm ${name}: ${message}\n`);
    return exitCodeFor(error);
  }
}
