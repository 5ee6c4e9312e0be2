// A real OpenSSH server on 127.0.0.1 for tests of the ssh_exec surface: throwaway host and user
// keys, a random free port, key authentication for the current user only.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { SshTransportOptions } from "@asm/contract";

// Where Debian's `openssh-server` installs the daemon.
const SSHD_PATH = "/usr/sbin/sshd";

/** A running loopback sshd, started by {@link startLoopbackSshd}. */
export interface LoopbackSshd {
  /**
   * Transport options that reach it: `127.0.0.1`, its port, the current user, the throwaway
   * identity file, a short connect timeout, and host-key checking off (the host key is new each time).
   */
  transport: SshTransportOptions;
  /** Stops the daemon and removes its keys and configuration; resolves once the daemon has exited. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True when OpenSSH's daemon is installed at `/usr/sbin/sshd` (Debian: `openssh-server`). */
export function sshdInstalled(): boolean {
  return existsSync(SSHD_PATH);
}

/**
 * Starts sshd on a free 127.0.0.1 port with fresh ed25519 host and user keys; resolves once it
 * accepts connections, rejects (and cleans up) when it exits or does not listen within 10 s.
 * The daemon runs in the foreground of this process (`-D`), so the caller must `stop()` it.
 *
 * @example
 * ```ts
 * const sshd = await startLoopbackSshd();
 * const surface = { kind: "ssh_exec", transportOptions: sshd.transport };
 * // … run over ssh …
 * await sshd.stop();
 * ```
 */
export async function startLoopbackSshd(): Promise<LoopbackSshd> {
  const dir = mkdtempSync(join(tmpdir(), "asm-sshd-"));
  for (const name of ["host_key", "user_key"]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, name)]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "user_key.pub")), { mode: 0o600 });
  const port = await freePort();
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  // The privilege-separation folder sshd insists on (created by the service unit normally).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const daemon = spawn(SSHD_PATH, ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  const log: string[] = [];
  daemon.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    if (daemon.exitCode !== null || daemon.signalCode !== null) resolve();
    else daemon.once("exit", () => resolve());
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (daemon.exitCode !== null || Date.now() > deadline) {
      daemon.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new TypeError(`sshd did not start: ${log.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    transport: {
      destination: "127.0.0.1",
      port,
      user: userInfo().username,
      identityFile: join(dir, "user_key"),
      connectTimeoutSeconds: 5,
      options: { StrictHostKeyChecking: "no", UserKnownHostsFile: "/dev/null", LogLevel: "ERROR" },
    },
    async stop() {
      daemon.kill("SIGTERM");
      // sshd exits at once on SIGTERM; the fallback only guards against a wedged daemon.
      const killer = setTimeout(() => daemon.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
