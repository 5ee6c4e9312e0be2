#!/usr/bin/env node
// Records transcripts/demo-claude.jsonl: runs `asm demo` with the real claude binary (inside a
// loopback-only network namespace, as the demo always does) and keeps the CLI's stdout, with the
// throwaway folder's path replaced by <DEMO_ROOT>. The replay mode of `asm demo` plays it back.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "asm-record-"));
const raw = join(scratch, "demo.jsonl");
const run = spawnSync(process.execPath, ["--conditions=@asm/source", "--import", "tsx", "src/bin/asm.ts", "demo", "--no-color"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, ASM_DEMO_RECORD: raw },
});
if (run.status !== 0) {
  console.error(`record-demo-transcript: asm demo exited with ${run.status ?? run.signal}`);
  process.exit(1);
}
const text = readFileSync(raw, "utf8").replace(/\/[^"\s]*?asm-demo-[A-Za-z0-9]{6}/g, "<DEMO_ROOT>");
if (!text.includes('"type":"result"')) {
  console.error("record-demo-transcript: the recording has no result line");
  process.exit(1);
}
writeFileSync(join(root, "transcripts", "demo-claude.jsonl"), text);
rmSync(scratch, { recursive: true, force: true });
console.log(`record-demo-transcript: wrote transcripts/demo-claude.jsonl (${text.split("\n").length - 1} lines)`);
