import { execFile } from "node:child_process";
import { AsmError } from "@asm/contract";

/** Options of one git call. */
export interface GitCall {
  cwd: string;
  /** Extra environment (a temporary `GIT_INDEX_FILE`). */
  env?: Record<string, string>;
}

// Identity and config for the commits that pin snapshots: never the user's, never a prompt.
const PINNED_ENV = {
  GIT_AUTHOR_NAME: "asm",
  GIT_AUTHOR_EMAIL: "asm@localhost",
  GIT_COMMITTER_NAME: "asm",
  GIT_COMMITTER_EMAIL: "asm@localhost",
  GIT_TERMINAL_PROMPT: "0",
};

/** Runs `git args` and resolves with its stdout; a failure is `AsmError("runtime")` naming the command. */
export function git(args: readonly string[], call: GitCall): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...args],
      { cwd: call.cwd, env: { ...process.env, ...PINNED_ENV, ...call.env }, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new AsmError("runtime", `git ${args[0] ?? ""} failed: ${stderr.trim() || error.message}`, {
              cause: error,
              details: { command: `git ${args.join(" ")}`, cwd: call.cwd },
            }),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Like {@link git}, but resolves null instead of failing (for questions: is this a repository?). */
export async function gitOrNull(args: readonly string[], call: GitCall): Promise<string | null> {
  try {
    return await git(args, call);
  } catch {
    return null;
  }
}
