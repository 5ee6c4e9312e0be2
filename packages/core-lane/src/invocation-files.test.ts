import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAsmError } from "@asm/contract";
import { RUN_FILES_PREFIX, writeInvocationFiles } from "./invocation-files.js";

const parent = mkdtempSync(join(tmpdir(), "asm-files-test-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe("writeInvocationFiles", () => {
  it("writes private files, substitutes their paths and removes them", async () => {
    const files = writeInvocationFiles(
      [
        { key: "prompt", content: "a very long prompt ✓" },
        { key: "schema.json", content: "{}" },
      ],
      { tmpDir: parent },
    );
    const dir = files.dir as string;
    expect(basename(dir).startsWith(RUN_FILES_PREFIX)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const prompt = files.paths.get("prompt") as string;
    expect(dirname(prompt)).toBe(dir);
    expect(statSync(prompt).mode & 0o777).toBe(0o600);
    expect(readFileSync(prompt, "utf8")).toBe("a very long prompt ✓");
    expect(files.substitute(["--prompt-file", "${file:prompt}", "--schema=${file:schema.json}", "plain"])).toEqual([
      "--prompt-file",
      prompt,
      `--schema=${files.paths.get("schema.json")}`,
      "plain",
    ]);
    await files.cleanup();
    expect(existsSync(dir)).toBe(false);
    await files.cleanup();
    files.cleanupSync();
  });

  it("creates nothing when there are no files", async () => {
    const files = writeInvocationFiles(undefined, { tmpDir: parent });
    expect(files.dir).toBeNull();
    expect(files.substitute(["a", "b"])).toEqual(["a", "b"]);
    await files.cleanup();
  });

  it("rejects bad keys, duplicates and references to missing files", () => {
    for (const list of [[{ key: "../escape", content: "" }], [{ key: "a", content: "" }, { key: "a", content: "" }]]) {
      let caught: unknown;
      try {
        writeInvocationFiles(list, { tmpDir: parent });
      } catch (error) {
        caught = error;
      }
      expect(isAsmError(caught) && caught.code).toBe("config_invalid");
    }
    const files = writeInvocationFiles([{ key: "a", content: "x" }], { tmpDir: parent });
    expect(() => files.substitute(["${file:b}"])).toThrow(/no file b/);
    files.cleanupSync();
    expect(existsSync(files.dir as string)).toBe(false);
  });
});
