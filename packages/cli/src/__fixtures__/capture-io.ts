import { PassThrough, Readable } from "node:stream";
import type { CliIo } from "../io.js";

/** A CliIo whose output is captured as text and whose stdin is `input` (not a terminal). */
export function captureIo(env: Record<string, string | undefined> = {}, input = ""): CliIo & { out: () => string; err: () => string } {
  const collect = () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
    return { stream, text: () => chunks.join("") };
  };
  const stdout = collect();
  const stderr = collect();
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(input === "" ? [] : [Buffer.from(input)]),
    env,
    cwd: process.cwd(),
    onInterrupt: () => () => undefined,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
    out: stdout.text,
    err: stderr.text,
  };
}
