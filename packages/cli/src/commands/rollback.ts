import { resolve } from "node:path";
import { loadSnapshot, rollback } from "@asm/workspace";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";

/** `asm rollback --help`. */
export const ROLLBACK_USAGE = `usage: asm rollback <snapshot-id> [--cwd <dir>]

Puts a git working tree back to a snapshot asm run --snapshot took (the id it printed after the
run): files the run added are deleted, modified and deleted ones restored; the index is left as
it is. Refused when HEAD moved since the snapshot (a commit or checkout would be lost: exit 8),
or when the id names no snapshot in that repository (exit 9). If the rollback fails halfway, the
state from just before it is restored.

  --cwd <dir>   the repository's top level (default: the current directory)
`;

const FLAGS = { cwd: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/** `asm rollback <snapshot-id> [--cwd <dir>]`: undoes what a `--snapshot` run changed. */
export async function rollbackCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, "rollback");
  if (booleanFlag(values, "help")) {
    await print(io.stdout, ROLLBACK_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0]!.trim() === "") {
    throw usageError(positionals.length === 0 ? "asm rollback needs the snapshot id asm run --snapshot printed" : `asm rollback takes one snapshot id (got "${positionals.join(" ")}")`);
  }
  const id = positionals[0]!.trim();
  if (!/^[0-9A-Za-z]+$/.test(id)) throw usageError(`the snapshot id is letters and digits, as asm run --snapshot printed it (got "${id}")`);
  const cwd = stringFlag(values, "cwd");
  if (cwd !== undefined && cwd.trim() === "") throw usageError("--cwd needs a directory", { flag: "--cwd" });
  const root = resolve(io.cwd, cwd ?? ".");
  const target = await loadSnapshot(root, id);
  await rollback(target);
  await print(io.stdout, `rolled back ${target.root} to snapshot ${id}\n`);
  return EXIT_CODES.success;
}
