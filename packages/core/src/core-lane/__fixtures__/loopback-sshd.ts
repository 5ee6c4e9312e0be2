// A real OpenSSH server on 127.0.0.1 for the ssh_exec tests: throwaway host and user keys, a
// random free port, key authentication for the current user only.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { SshTransportOptions } from "@asm/contract";

/** Where Debian's `openssh-server` installs the daemon. */
export const SSHD_PATH = "/usr/sbin/sshd";

/** A running loopback sshd. */
export interface LoopbackSshd {
  /** Transport options that reach it. */
  transport: SshTransportOptions;
  stop(): void;
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

/** True when the daemon is installed. */
export function sshdInstalled(): boolean {
  return existsSync(SSHD_PATH);
}

/** Starts sshd on a free loopback port; resolves once it accepts connections. */
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
    stop() {
      daemon.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
