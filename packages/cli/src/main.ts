import { isAsmError } from "@asm/contract";
import { ACP_USAGE, acpCommand } from "./commands/acp.js";
import { demoCommand } from "./commands/demo.js";
import { doctorCommand } from "./commands/doctor.js";
import { parseCommand } from "./commands/parse.js";
import { providersCommand } from "./commands/providers.js";
import { runCommand } from "./commands/run.js";
import { SERVE_USAGE, serveCommand } from "./commands/serve.js";
import { exitCodeFor, isUsageError } from "./exit-codes.js";
import { print, type CliIo } from "./io.js";
import { DEMO_USAGE, DOCTOR_USAGE, MAIN_USAGE, PARSE_USAGE, PROVIDERS_USAGE, RUN_USAGE } from "./usage.js";

const COMMANDS: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; usage: string }> = {
  run: { run: runCommand, usage: RUN_USAGE },
  parse: { run: parseCommand, usage: PARSE_USAGE },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
  providers: { run: providersCommand, usage: PROVIDERS_USAGE },
  demo: { run: demoCommand, usage: DEMO_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  acp: { run: acpCommand, usage: ACP_USAGE },
};

/**
 * Runs `asm` with the given arguments and returns the exit code. Errors become a message on
 * stderr and their exit code (usage errors also print the command's usage).
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
    await print(io.stderr, `asm: unknown command "${name}"\n\n${MAIN_USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = isAsmError(error) ? `${error.code}: ${error.reason}` : String((error as Error)?.stack ?? error);
    await print(io.stderr, `asm ${name}: ${message}\n`);
    if (isUsageError(error)) await print(io.stderr, `\n${command.usage}`);
    return exitCodeFor(error);
  }
}
