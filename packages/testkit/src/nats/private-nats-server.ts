// A real nats-server (Debian's `nats-server` package) on a random 127.0.0.1 port, private to one
// test, so the test can kill it and start it again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/** Options of {@link startPrivateNatsServer}. */
export interface PrivateNatsServerOptions {
  /** Enable JetStream (`-js`) with a throwaway store that survives `restart()`; readiness then waits for `/healthz?js-enabled-only=true`. */
  jetstream?: boolean;
  /** A server config file (`-c`), for accounts and permissions; the flags still pick the address and port. */
  configFile?: string;
}

function healthy(monitorPort: number, jetstream: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: "127.0.0.1", port: monitorPort, path: jetstream ? "/healthz?js-enabled-only=true" : "/healthz", timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

/** True when `nats-server` is installed at `/usr/sbin/nats-server`. */
export function natsServerInstalled(): boolean {
  return existsSync(NATS_SERVER_PATH);
}

function launch(port: number, extra: string[] = [], jetstream = false): Promise<{ child: ChildProcess; port: number; exited: Promise<void> }> {
  const child = spawn(NATS_SERVER_PATH, [...extra, "-a", "127.0.0.1", "-p", String(port), "-m", "-1", "-n", "asm_test"], { stdio: ["ignore", "ignore", "pipe"] });
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
      const monitor = /Starting http monitor on 127\.0\.0\.1:(\d+)/.exec(log);
      if (listening && monitor && log.includes("Server is ready")) {
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        // Ready when the health endpoint says so (with JetStream: once it is enabled).
        void (async () => {
          while (!(await healthy(Number(monitor[1]), jetstream))) await new Promise((wait) => setTimeout(wait, 50));
          clearTimeout(timer);
          resolve({ child, port: Number(listening[1]), exited });
        })();
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
export async function startPrivateNatsServer(options: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
  const store = options.jetstream === true ? mkdtempSync(join(tmpdir(), "asm-nats-js-")) : null;
  const extra = [...(options.configFile === undefined ? [] : ["-c", options.configFile]), ...(store === null ? [] : ["-js", "-sd", store])];
  let running: Awaited<ReturnType<typeof launch>> | null = await launch(-1, extra, store !== null);
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
      running = await launch(port, extra, store !== null);
    },
    async stop() {
      await halt("SIGTERM");
      if (store !== null) rmSync(store, { recursive: true, force: true });
    },
  };
}
