import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const TMUX = "/usr/bin/tmux";

/** A tmux server of its own (a private socket), so tests never touch anyone's sessions. */
export class TmuxTerminal {
  private readonly socket = `asm-cli-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly session = "asm";

  /** Whether tmux is installed where the tests expect it. */
  static available(): boolean {
    return existsSync(TMUX);
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Starts `command` (a shell command line) in a 120×30 pane. */
  start(command: string, env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)};`);
    this.tmux("new-session", "-d", "-s", this.session, "-x", "120", "-y", "30", `${exports.join(" ")} ${command}`);
  }

  /** The pane's visible text. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-t", this.session);
  }

  /** Sends keys (`C-c`, or text followed by `Enter`). */
  keys(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.session, ...keys);
  }

  /** Polls the screen until `pattern` shows, returning the screen; throws with the screen on timeout. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = "";
    while (Date.now() < deadline) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${pattern} on screen:\n${screen}`);
  }

  /** Ends the tmux server and everything in it. */
  kill(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // Already gone.
    }
  }
}

/** Quotes a value for sh. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** Pids of live processes whose environment contains `marker` (Linux `/proc`). */
export function processesWithMarker(marker: string): number[] {
  const out = execFileSync("sh", ["-c", `grep -l -s -a ${shellQuote(marker)} /proc/[0-9]*/environ || true`], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => /\/proc\/(\d+)\/environ/.exec(line)?.[1])
    .filter((pid): pid is string => pid !== undefined)
    .map(Number)
    .filter((pid) => pid !== process.pid && isAlive(pid));
}

/** True when `ps` lists the process (zombies excluded). */
export function isAlive(pid: number): boolean {
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false;
  }
}
