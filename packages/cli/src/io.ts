import type { Readable, Writable } from "node:stream";

/** A writable terminal-like stream. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** A readable terminal-like stream. */
export type InStream = Readable & { isTTY?: boolean };

/**
 * Everything a command touches outside itself, so commands run the same in the binary and in
 * tests.
 */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Registers a Ctrl-C handler; returns the function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once (a second Ctrl-C). */
  exit(code: number): void;
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => {
        process.off("SIGINT", handler);
      };
    },
    exit(code) {
      process.exit(code);
    },
  };
}

/** Writes text and resolves once the stream has taken it (waiting for `drain` if needed). */
export function print(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once("drain", () => resolve());
  });
}
