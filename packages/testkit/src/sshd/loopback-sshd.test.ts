import { execFile } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sshdInstalled, startLoopbackSshd } from "./loopback-sshd.js";

const run = promisify(execFile);

// Needs OpenSSH's server (Debian: openssh-server): reported as skipped on a workstation without
// it, and failing under CI, where it must be installed.
const unavailable = !sshdInstalled() && process.env.CI !== "true";

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe.skipIf(unavailable)("startLoopbackSshd", { timeout: 30_000 }, () => {
  it("accepts the throwaway key for the current user, runs a command, and is gone after stop()", async () => {
    if (!sshdInstalled()) throw new TypeError("sshd is not installed (apt-get install openssh-server)");
    const sshd = await startLoopbackSshd();
    const { transport } = sshd;
    try {
      expect(transport).toMatchObject({ destination: "127.0.0.1", port: expect.any(Number), identityFile: expect.any(String) });
      const options = Object.entries(transport.options ?? {}).flatMap(([key, value]) => ["-o", `${key}=${value}`]);
      const { stdout } = await run("ssh", [
        "-T",
        "-p",
        String(transport.port),
        "-i",
        String(transport.identityFile),
        "-o",
        "BatchMode=yes",
        ...options,
        `${String(transport.user)}@${transport.destination}`,
        "--",
        "printf '%s' \"$((6 * 7))\"",
      ]);
      expect(stdout).toBe("42");
    } finally {
      await sshd.stop();
    }
    expect(await accepts(transport.port as number)).toBe(false);
  });
});
