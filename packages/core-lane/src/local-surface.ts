import { execFile } from "node:child_process";
import { execa } from "execa";
import { AsmError } from "@asm/contract";
import { isGroupAlive, signalGroup } from "./process-group.js";
import type { SurfaceDriver, SurfaceExit, SurfaceProcess, SurfaceSpawnRequest } from "./surface.js";

const WINDOWS = process.platform === "win32";

function spawnFailure(command: string, code: string | undefined, message: string, cause: unknown): AsmError {
  if (code === "ENOENT" || code === "EACCES" || code === "ENOEXEC") {
    return new AsmError("cli_not_found", `could not start ${command}: ${code}`, { cause, details: { command, errno: code } });
  }
  return new AsmError("transport_error", `could not start ${command}: ${message}`, { cause, details: { command, errno: code } });
}

/**
 * The `local` surface: spawns the CLI with execa on this machine, `detached` so it leads its own
 * process group (and session) — signals then reach the CLI and everything it started, and a
 * Ctrl-C in the host's terminal does not hit the CLI behind ASM's back. On Windows, which has no
 * process groups, the tree is ended with `taskkill /T`.
 */
export const localSurface: SurfaceDriver = {
  kind: "local",
  runtime: "subprocess",
  local: true,
  async spawn(request: SurfaceSpawnRequest): Promise<SurfaceProcess> {
    const subprocess = execa(request.command, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      extendEnv: false,
      detached: !WINDOWS,
      cleanup: false,
      buffer: false,
      reject: false,
      encoding: "buffer",
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      stripFinalNewline: false,
      windowsHide: true,
    });
    const pid = subprocess.pid;
    if (pid === undefined) {
      const result = await subprocess;
      const code = (result as { code?: string }).code;
      throw spawnFailure(request.command, code, result.shortMessage ?? "spawn failed", result.cause ?? result);
    }
    let exitedFlag = false;
    // The child's own `exit` event, not execa's promise: execa also waits for stdout to close,
    // which a grandchild holding the pipe can delay forever.
    const exited = new Promise<SurfaceExit>((resolve) => {
      subprocess.once("exit", (exitCode, signal) => {
        exitedFlag = true;
        resolve({ exitCode, signal });
      });
    });
    void subprocess.catch(() => undefined);
    const { stdin, stdout, stderr } = subprocess;
    if (stdin === null || stdout === null || stderr === null) {
      signalGroup(pid, "SIGKILL");
      throw new AsmError("transport_error", `could not open the pipes of ${request.command}`);
    }
    return {
      pid,
      stdin,
      stdout,
      stderr,
      exited,
      signal(signal) {
        if (!WINDOWS) {
          signalGroup(pid, signal);
          return;
        }
        if (signal === "SIGINT") subprocess.kill("SIGINT");
        else execFile("taskkill", ["/pid", String(pid), "/T", "/F"], () => undefined);
      },
      isAlive() {
        return WINDOWS ? !exitedFlag : isGroupAlive(pid);
      },
      describe() {
        return { pid, pgid: WINDOWS ? null : pid };
      },
    };
  },
};
