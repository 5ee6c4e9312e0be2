import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isAsmError } from "@asm/contract";
import { buildRemoteCommand, buildSshArgs, shellQuote, sshTransportOptions } from "./ssh-surface.js";

const surface = (transportOptions: Record<string, unknown>) => ({ kind: "ssh_exec" as const, transportOptions, observability: {} });

describe("ssh_exec command building", () => {
  it("quotes words so a POSIX shell gives them back unchanged", () => {
    const words = ["plain", "with space", "it's", `"double"`, "$HOME", "`date`", "a\nb", "", "--flag=x;y|z&"];
    const echoed = execFileSync("sh", ["-c", `printf '%s\\0' ${words.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    expect(echoed.split("\0").slice(0, -1)).toEqual(words);
  });

  it("reports the group, changes directory and execs the CLI with its environment", () => {
    const command = buildRemoteCommand({
      command: "/opt/bin/claude",
      args: ["-p", "it's a prompt"],
      cwd: "/work/my repo",
      remoteEnv: { ANTHROPIC_BASE_URL: "http://127.0.0.1:1", "BAD-NAME": "v" },
    });
    expect(command).toBe(
      `printf '%s\\n' "__ASM_REMOTE_PGID__=$$" >&2 && cd '/work/my repo' && ` +
        `exec env 'ANTHROPIC_BASE_URL=http://127.0.0.1:1' 'BAD_NAME=v' '/opt/bin/claude' '-p' 'it'"'"'s a prompt'`,
    );
    expect(buildRemoteCommand({ command: "codex", args: [], cwd: null, remoteEnv: {} })).toBe(
      `printf '%s\\n' "__ASM_REMOTE_PGID__=$$" >&2 && exec 'codex'`,
    );
  });

  it("builds ssh arguments: no pty, batch mode, timeouts, options, user@host, then the command", () => {
    expect(
      buildSshArgs(
        { destination: "build-1", user: "ci", port: 2222, identityFile: "/k/id", options: { StrictHostKeyChecking: "no" }, connectTimeoutSeconds: 3 },
        "exec 'x'",
      ),
    ).toEqual(["-T", "-p", "2222", "-i", "/k/id", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-o", "StrictHostKeyChecking=no", "ci@build-1", "--", "exec 'x'"]);
    expect(buildSshArgs({ destination: "h", batchMode: false }, "c")).toEqual(["-T", "-o", "BatchMode=no", "-o", "ConnectTimeout=10", "h", "--", "c"]);
  });

  it("validates the transport options", () => {
    for (const options of [{}, { destination: "" }, { destination: "h", port: 70_000 }]) {
      let caught: unknown;
      try {
        sshTransportOptions(surface(options));
      } catch (error) {
        caught = error;
      }
      expect(isAsmError(caught) && caught.code).toBe("config_invalid");
    }
    expect(sshTransportOptions(surface({ destination: "h", port: 22 }))).toEqual({ destination: "h", port: 22 });
  });
});
