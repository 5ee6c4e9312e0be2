import { chmod, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { privateFilesParent } from "./private-files-dir.js";

// Under the home folder, not /tmp (nor a checkout that may sit below /tmp): /tmp itself is
// writable by everyone, which is the point.
const base = join(homedir(), ".cache", `asm-private-files-test-${process.pid}`);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("privateFilesParent", () => {
  it("creates the folder 0700 when it and every folder above are private", async () => {
    await mkdir(base, { recursive: true, mode: 0o700 });
    await chmod(base, 0o700);
    const dir = privateFilesParent(join(await mkdtemp(join(base, "ok-")), "run-files"));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it("refuses a folder under one others can write to", async () => {
    const open = await mkdtemp(join(base, "open-"));
    await chmod(open, 0o777);
    expect(() => privateFilesParent(join(open, "run-files"))).toThrow(expect.objectContaining({ code: "config_invalid", details: expect.objectContaining({ key: "privateFilesDir", folder: open }) }));
  });
});
