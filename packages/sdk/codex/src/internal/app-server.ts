import { AsmError, type BackendInfo, type BackendStartConfig, type Capability, type LaneFeatures } from "@asm/contract";
import { LaneAgentProcess, openWithin } from "@asm/core-lane";
import { isRecord } from "@asm/provider-utils";
import { AppServerTurn, type AppServerTurnHost } from "./app-server-turn.js";
import { JsonRpcPeer } from "./json-rpc.js";

/** How to start one app-server process and its thread. */
export interface AppServerSetup {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Thread parameters (`model`, `approvalPolicy`, `sandbox`, `config`). */
  threadParams: Record<string, unknown>;
  /** Thread to resume instead of starting one. */
  resumeThreadId: string | undefined;
  startTimeoutMs: number;
  closeGraceMs: number;
  stderrTailBytes: number;
  capabilities: readonly Capability[];
  features: LaneFeatures;
  processKey: string;
}

/** One `codex app-server` process and one thread, kept for the life of an ASM session. */
export class AppServer extends LaneAgentProcess<AppServerTurn> implements AppServerTurnHost {
  private rpc!: JsonRpcPeer;
  private threadId = "";

  private constructor(private readonly setup: AppServerSetup) {
    super(setup.closeGraceMs);
  }

  /** Spawns `codex app-server`, runs `initialize` and `thread/start` (or `thread/resume`). */
  static async start(setup: AppServerSetup): Promise<AppServer> {
    const server = new AppServer(setup);
    try {
      await openWithin(
        server.open(),
        setup.startTimeoutMs,
        server,
        () => new AsmError("timeout", `codex app-server did not open a thread within ${setup.startTimeoutMs} ms`, { provider: "codex", details: { watchdog: "idle", timeoutMs: setup.startTimeoutMs } }),
      );
    } catch (error) {
      throw AsmError.from(error, "transport_error", { provider: "codex" });
    }
    return server;
  }

  private async open(): Promise<void> {
    const { setup } = this;
    this.spawnAgent(setup, setup.stderrTailBytes, (exit, turn) => {
      this.rpc.fail(new AsmError("transport_exit", "codex app-server exited"));
      turn?.failed(`codex app-server exited (${exit.signal ?? `exit code ${String(exit.exitCode)}`})`, exit);
    });
    this.rpc = new JsonRpcPeer(this.proc.stdin, this.proc.stdout, {
      notification: (method, params) => this.current?.notification(method, params),
      request: (request) => {
        if (this.current === null) this.respond(request.id, { decision: "cancel" });
        else this.current.request(request.id, request.method, request.params);
      },
      garbage: () => undefined,
    });
    await this.rpc.request("initialize", { clientInfo: { name: "asm", version: "0.1.0" } });
    this.rpc.notify("initialized");
    const opened =
      setup.resumeThreadId === undefined
        ? await this.rpc.request("thread/start", { cwd: setup.cwd, ...setup.threadParams })
        : await this.rpc.request("thread/resume", { threadId: setup.resumeThreadId, cwd: setup.cwd, ...setup.threadParams });
    const thread = isRecord(opened) && isRecord(opened["thread"]) ? opened["thread"] : {};
    this.threadId = typeof thread["id"] === "string" ? thread["id"] : (setup.resumeThreadId ?? "");
    if (this.threadId === "") throw new AsmError("transport_error", "codex app-server returned no thread id", { provider: "codex" });
  }

  /** Whether the next run can be a turn on this thread. */
  accepts(processKey: string, resumeThreadId: string | undefined): boolean {
    return !this.dead && this.current === null && processKey === this.setup.processKey && resumeThreadId !== undefined && resumeThreadId === this.threadId;
  }

  /** `turn/start` with the run's prompt. */
  beginTurn(config: BackendStartConfig, timeouts: { idleTimeoutMs: number; wallTimeoutMs: number }): AppServerTurn {
    if (this.dead) throw new AsmError("transport_error", "codex app-server has exited", { provider: "codex" });
    const turn = new AppServerTurn(config, this.threadId, timeouts, this);
    this.current = turn;
    this.rpc.request("turn/start", { threadId: this.threadId, input: [{ type: "text", text: config.prompt }] }).then(
      (started) => {
        const id = isRecord(started) && isRecord(started["turn"]) ? started["turn"]["id"] : undefined;
        if (typeof id === "string") turn.started(id);
      },
      (error: unknown) => turn.failed(error instanceof Error ? error.message : "turn/start failed"),
    );
    return turn;
  }

  async interrupt(turnId: string | null): Promise<void> {
    if (this.dead || turnId === null) return;
    await this.rpc.request("turn/interrupt", { threadId: this.threadId, turnId });
  }

  respond(id: string | number, result: unknown): void {
    try {
      this.rpc.respond(id, result);
    } catch {
      // The process is gone; nothing waits for the answer.
    }
  }

  info(): BackendInfo {
    return {
      provider: "codex",
      lane: "sdk",
      backend: "sdk:codex",
      runtime: "codex-app-server",
      capabilities: [...this.setup.capabilities],
      features: { ...this.setup.features },
      session: { command: this.setup.command, args: [...this.setup.args], cwd: this.setup.cwd, ...(this.proc.pid === undefined ? {} : { pid: this.proc.pid }), threadId: this.threadId },
      observability: { surface: "local" },
    };
  }
}
