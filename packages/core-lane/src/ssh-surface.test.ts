import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isAsmError } from "@asm/contract";
import { buildRemoteCommand, buildSshArgs, classifyRemoteStartFailure, shellQuote, sshTransportOptions } from "./ssh-surface.js";

const surface = (transportOptions: Record<string, unknown>) => ({ kind: "ssh_exec" as const, transportOptions, observability: {} });

describe("ssh_exec command building", () => {
  it("quotes words so a POSIX shell gives them back unchanged", () => {
    const words = ["plain", "with space", "it's", `"double"`, "$HOME", "`date`", "a\nb", "", "--flag=x;y|z&"];
    const echoed = execFileSync("sh", ["-c", `printf '%s\\0' ${words.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    expect(echoed.split("\0").slice(0, -1)).toEqual(words);
  });

  it("changes directory, reports the group and execs the CLI with its environment", () => {
    const command = buildRemoteCommand({
      command: "/opt/bin/claude",
      args: ["-p", "it's a prompt"],
      cwd: "/work/my repo",
      remoteEnv: { ANTHROPIC_BASE_URL: "http://127.0.0.1:1", "BAD-NAME": "v" },
    });
    expect(command).toBe(
      `cd '/work/my repo' && printf '%s\\n' "__ASM_REMOTE_PGID__=$$" >&2 && ` +
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

  it("classifies a command that ended before the remote shell's report as the surface's failure", () => {
    const context = { host: "build-1", cwd: "/work/gone" };
    const refused = classifyRemoteStartFailure({ exitCode: 255, signal: null }, "ssh: connect to host build-1 port 22: Connection refused\r\n", context);
    expect(refused).toMatchObject({ code: "connection_failed", message: expect.stringContaining("Connection refused"), details: { host: "build-1", exitCode: 255 } });
    const cd = classifyRemoteStartFailure({ exitCode: 1, signal: null }, "bash: line 1: cd: /work/gone: No such file or directory\n", context);
    expect(cd).toMatchObject({ code: "config_invalid", message: expect.stringContaining("/work/gone"), details: { cwd: "/work/gone" } });
    const zsh = classifyRemoteStartFailure({ exitCode: 1, signal: null }, "zsh:cd:1: no such file or directory: /work/gone\n", context);
    expect(zsh).toMatchObject({ code: "config_invalid", message: expect.stringContaining("zsh:cd:1") });
    expect(classifyRemoteStartFailure({ exitCode: 1, signal: null }, "This account is currently not available.\n", context)).toBeNull();
    expect(classifyRemoteStartFailure({ exitCode: 1, signal: null }, "sh: cd: x: No such file or directory\n", { host: "h", cwd: null })).toBeNull();
  });
});
