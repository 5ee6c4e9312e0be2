// A fake provider CLI for the benchmarks' Codex and Gemini streams: `--version` prints the version
// it was started with; otherwise it reads the prompt from stdin (both CLIs take it there and ASM
// closes stdin after it), then writes the bytes of BENCH_STREAM_FILE as fast as the pipe takes
// them and exits 0 once they are written. Started through `fake-codex.mjs` / `fake-gemini.mjs`,
// which name the version (the version check caches by path, so each provider has its own file).
import { createReadStream } from "node:fs";

/** Runs the fake as the CLI whose `--version` output is `versionLine`. */
export function replay(versionLine) {
  if (process.argv.includes("--version")) {
    process.stdout.write(`${versionLine}\n`);
    return;
  }
  const file = process.env.BENCH_STREAM_FILE;
  if (!file) {
    process.stderr.write("BENCH_STREAM_FILE is not set\n");
    process.exit(2);
  }
  process.stdin.resume();
  process.stdin.once("end", () => {
    const source = createReadStream(file, { highWaterMark: 256 * 1024 });
    source.once("error", (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    });
    source.once("end", () => process.stdout.write("", () => process.exit(0)));
    source.pipe(process.stdout, { end: false });
  });
}
