// A real nats-server (Debian's `nats-server` package) on a random 127.0.0.1 port, private to one
// test, so the test can kill it and start it again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

/** Where Debian's `nats-server` installs the binary. */
const NATS_SERVER_PATH = "/usr/sbin/nats-server";

/** A running private nats-server, from {@link startPrivateNatsServer}. */
export interface PrivateNatsServer {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** SIGKILLs the server (a crash); resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops it for good (SIGTERM, SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** True when `nats-server` is installed at `/usr/sbin/nats-server`. */
export function natsServerInstalled(): boolean {
  return existsSync(NATS_SERVER_PATH);
}

function launch(port: number): Promise<{ child: ChildProcess; port: number; exited: Promise<void> }> {
  const child = spawn(NATS_SERVER_PATH, ["-a", "127.0.0.1", "-p", String(port), "-n", "asm_test"], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new TypeError(`nats-server did not start in 10 s: ${log}`));
    }, 10_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const listening = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log);
      if (listening && log.includes("Server is ready")) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve({ child, port: Number(listening[1]), exited });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new TypeError(`nats-server exited (${String(code)}) before it was ready: ${log}`));
    });
  });
}

/**
 * Starts nats-server on a random free 127.0.0.1 port (`-p -1`).
 *
 * @example
 * ```ts
 * const nats = await startPrivateNatsServer();
 * // … connect to nats.url, nats.kill(), nats.restart() …
 * await nats.stop();
 * ```
 */
export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  let running: Awaited<ReturnType<typeof launch>> | null = await launch(-1);
  const port = running.port;
  async function halt(signal: NodeJS.Signals): Promise<void> {
    const current = running;
    running = null;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill(signal);
    const killer = setTimeout(() => current.child.kill("SIGKILL"), 5_000);
    await current.exited;
    clearTimeout(killer);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill: () => halt("SIGKILL"),
    async restart() {
      await halt("SIGKILL");
      running = await launch(port);
    },
    stop: () => halt("SIGTERM"),
  };
}
