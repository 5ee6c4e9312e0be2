import { Readable, Writable } from "node:stream";
import { AsmError, type BackendInfo, type BackendStartConfig, type Capability, type LaneFeatures } from "@asm/contract";
import { LaneAgentProcess, openWithin, type TurnWatchdogs } from "@asm/core-lane";
import { isRecord } from "@asm/provider-utils";
import { AcpTurn, type AcpTurnHost } from "./acp-turn.js";
import type { AcpClientConnection, AcpSdkModule } from "./acp-shapes.js";

/** How to start one agent process and its session. */
export interface AcpAgentSetup {
  sdk: AcpSdkModule;
  provider: string;
  backendName: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** ACP mode to select after `session/new` (the permission mode), if any. */
  modeId: string | undefined;
  /** Provider session to load instead of starting a new one. */
  resumeSessionId: string | undefined;
  /** Auth method to call `authenticate` with (codex-acp needs one), if any. */
  authMethodId: string | undefined;
  closeGraceMs: number;
  stderrTailBytes: number;
  /** How long `initialize` and `session/new` may take before the agent is stopped. */
  startTimeoutMs: number;
  capabilities: readonly Capability[];
  features: LaneFeatures;
  /** Identity of everything fixed for the life of the process. */
  processKey: string;
}

/**
 * One ACP agent process and one ACP session, kept for the life of an ASM session: each run is a
 * `session/prompt` on it.
 */
export class AcpAgent extends LaneAgentProcess<AcpTurn> implements AcpTurnHost {
  private connection!: AcpClientConnection;
  private sessionId = "";
  private modeId: string | undefined;

  private constructor(private readonly setup: AcpAgentSetup) {
    super(setup.closeGraceMs);
  }

  /** Spawns the agent, runs `initialize` and `session/new` (or `session/load`). */
  static async start(setup: AcpAgentSetup): Promise<AcpAgent> {
    const agent = new AcpAgent(setup);
    await openWithin(
      agent.open(),
      setup.startTimeoutMs,
      agent,
      () =>
        new AsmError("timeout", `the ${setup.provider} agent did not open an ACP session within ${setup.startTimeoutMs} ms`, {
          provider: setup.provider,
          details: { watchdog: "idle", timeoutMs: setup.startTimeoutMs },
        }),
    );
    return agent;
  }

  private async open(): Promise<void> {
    const { setup } = this;
    this.spawnAgent(setup, setup.stderrTailBytes, (exit, turn) => {
      turn?.failed(new Error(`the ${setup.provider} agent exited`), exit);
      this.connection?.close();
    });
    const app = setup.sdk
      .client({ name: "asm" })
      .onRequest("session/request_permission", (context) => this.current?.requestPermission(context.params, context.signal) ?? { outcome: { outcome: "cancelled" } })
      .onNotification("session/update", (context) => {
        const params = context.params;
        if (isRecord(params)) this.current?.update(params["update"]);
      });
    this.connection = app.connect(
      setup.sdk.ndJsonStream(Writable.toWeb(this.proc.stdin) as WritableStream<Uint8Array>, Readable.toWeb(this.proc.stdout) as ReadableStream<Uint8Array>),
    );
    try {
      const init = await this.rpc("initialize", { protocolVersion: setup.sdk.PROTOCOL_VERSION, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false } });
      if (setup.authMethodId !== undefined) await this.rpc("authenticate", { methodId: setup.authMethodId });
      if (setup.resumeSessionId !== undefined) {
        const capabilities = isRecord(init) && isRecord(init["agentCapabilities"]) ? init["agentCapabilities"] : {};
        if (capabilities["loadSession"] !== true) {
          throw new AsmError("unsupported", `the ${setup.provider} ACP agent cannot load a session (no loadSession capability)`, { provider: setup.provider, details: { key: "continuation" } });
        }
        await this.rpc("session/load", { sessionId: setup.resumeSessionId, cwd: setup.cwd, mcpServers: [] });
        this.sessionId = setup.resumeSessionId;
      } else {
        const created = await this.rpc("session/new", { cwd: setup.cwd, mcpServers: [] });
        this.sessionId = isRecord(created) && typeof created["sessionId"] === "string" ? created["sessionId"] : "";
        if (this.sessionId === "") throw new AsmError("transport_error", "session/new returned no session id", { provider: setup.provider });
      }
      if (setup.modeId !== undefined) await this.setMode(setup.modeId);
    } catch (error) {
      throw AsmError.from(error, "transport_error", { provider: setup.provider });
    }
  }

  private async rpc(method: string, params: unknown): Promise<unknown> {
    // The agent dying must fail the call instead of leaving it pending.
    const gone = this.proc.gone.then(() => {
      throw new AsmError("transport_exit", `the ${this.setup.provider} agent exited during ${method}: ${this.proc.stderrTail().trim().slice(-300)}`, { provider: this.setup.provider });
    });
    return Promise.race([this.connection.agent.request(method, params), gone]);
  }

  private async setMode(modeId: string): Promise<void> {
    await this.rpc("session/set_mode", { sessionId: this.sessionId, modeId });
    this.modeId = modeId;
  }

  /** Whether a run with these fixed options can be the next prompt of this session. */
  accepts(processKey: string, resumeSessionId: string | undefined): boolean {
    if (this.dead || this.current !== null || processKey !== this.setup.processKey) return false;
    return resumeSessionId !== undefined && resumeSessionId === this.sessionId;
  }

  /** Sends the run's prompt; events flow to the returned turn. */
  async beginTurn(config: BackendStartConfig, timeouts: TurnWatchdogs, modeId: string | undefined): Promise<AcpTurn> {
    if (this.dead) throw new AsmError("transport_error", `the ${this.setup.provider} agent has exited`, { provider: this.setup.provider });
    if (modeId !== undefined && modeId !== this.modeId) await this.setMode(modeId);
    const turn = new AcpTurn(config, this.sessionId, timeouts, this);
    this.current = turn;
    this.rpc("session/prompt", { sessionId: this.sessionId, prompt: [{ type: "text", text: config.prompt }] }).then(
      (response) => turn.finished(response),
      (error: unknown) => turn.failed(error),
    );
    return turn;
  }

  // ---- AcpTurnHost -----------------------------------------------------------------------------

  /** `session/cancel` (a notification: the prompt then answers `cancelled`). */
  async cancel(): Promise<void> {
    if (this.dead) return;
    await this.connection.agent.notify("session/cancel", { sessionId: this.sessionId });
  }

  protected override closed(): void {
    this.connection.close();
  }

  info(): BackendInfo {
    return {
      provider: this.setup.provider,
      lane: "sdk",
      backend: this.setup.backendName,
      runtime: "acp",
      capabilities: [...this.setup.capabilities],
      features: { ...this.setup.features },
      session: {
        command: this.setup.command,
        args: [...this.setup.args],
        cwd: this.setup.cwd,
        ...(this.proc.pid === undefined ? {} : { pid: this.proc.pid }),
        acpSessionId: this.sessionId,
      },
      observability: { surface: "local" },
    };
  }
}
