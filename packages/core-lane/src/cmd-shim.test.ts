import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCmdShim } from "./cmd-shim.js";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("parseCmdShim", () => {
  it("reads the current npm template", () => {
    expect(parseCmdShim(fixture("claude.cmd"), "C:\\Users\\me\\AppData\\Roaming\\npm\\claude.cmd")).toEqual({
      interpreter: "node",
      interpreterArgs: [],
      target: "C:\\Users\\me\\AppData\\Roaming\\npm\\node_modules\\@anthropic-ai\\claude-code\\cli.js",
    });
  });

  it("keeps interpreter flags from the script's shebang", () => {
    expect(parseCmdShim(fixture("amp-node-flags.cmd"), "D:\\tools\\amp.cmd")).toEqual({
      interpreter: "node",
      interpreterArgs: ["--no-warnings"],
      target: "D:\\tools\\node_modules\\@sourcegraph\\amp\\dist\\main.js",
    });
  });

  it("reads the legacy template", () => {
    expect(parseCmdShim(fixture("gemini-legacy.cmd"), "C:\\npm\\gemini.cmd")).toEqual({
      interpreter: "node",
      interpreterArgs: [],
      target: "C:\\npm\\node_modules\\@google\\gemini-cli\\dist\\index.js",
    });
  });

  it("returns the program itself for a native target", () => {
    expect(parseCmdShim(fixture("codex-native.cmd"), "C:\\npm\\codex.cmd")).toEqual({
      interpreter: null,
      interpreterArgs: [],
      target: "C:\\npm\\node_modules\\@openai\\codex\\bin\\codex.exe",
    });
  });

  it("returns null for a batch file that is not a shim", () => {
    expect(parseCmdShim(fixture("not-a-shim.cmd"), "C:\\x\\not-a-shim.cmd")).toBeNull();
    expect(parseCmdShim("", "C:\\x\\empty.cmd")).toBeNull();
  });
});
