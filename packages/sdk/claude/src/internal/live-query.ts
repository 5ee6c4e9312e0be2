import { AsmError, type BackendInfo, type BackendStartConfig, type Capability, type LaneFeatures } from "@asm/contract";
import { spawnInGroup, type GroupProcess, type LaneRunOptions, type ResolvedCli } from "@asm/core-lane";
import { isRecord } from "@asm/provider-utils";
import { InputQueue } from "./input-queue.js";
import { claudeQueryOptions } from "./query-options.js";
import type { ClaudeSdkPlan } from "./sdk-options.js";
import type { ClaudeSdkModule, SdkCanUseToolContext, SdkQuery, SdkSpawnOptions, SdkUserMessage } from "./sdk-shapes.js";
import { TurnSession, type TurnHost } from "./turn-session.js";

/** What a live query is started with. */
export interface LiveQuerySetup {
  sdk: ClaudeSdkModule;
  plan: ClaudeSdkPlan;
  runOptions: LaneRunOptions;
  cli: ResolvedCli;
  cwd: string;
  env: Record<string, string>;
  capabilities: readonly Capability[];
  features: LaneFeatures;
}

/** How long a new turn waits for an interrupted turn's closing `result` before restarting the agent. */
const DRAIN_WAIT_MS = 10_000;

/**
 * One Claude Agent SDK `query()` with a streaming prompt, kept for the life of an ASM session:
 * each run of the session is one user message on it, so follow-ups, `interrupt()`, `setModel()`
 * and `setPermissionMode()` all reach the same `claude` process.
 */
export class LiveQuery implements TurnHost {
  private readonly input = new InputQueue<SdkUserMessage>();
  private readonly query: SdkQuery;
  private process: GroupProcess | null = null;
  private current: TurnSession | null = null;
  private providerSessionId: string | null = null;
  private lastInit: unknown = null;
  private model: string | undefined;
  private permissionMode: string;
  private dead = false;
  private failure: unknown;
  /** Set while an abandoned turn's closing messages are still coming. */
  private draining: { done: Promise<void>; resolve: () => void } | null = null;
  private readonly ended: Promise<void>;

  constructor(private readonly setup: LiveQuerySetup) {
    this.model = setup.plan.model;
    this.permissionMode = setup.plan.permissionMode;
    const { plan } = setup;
    const options: Record<string, unknown> = {
      ...claudeQueryOptions(plan, { cwd: setup.cwd, env: setup.env, cliPath: setup.cli.path }),
      // Bypass mode approves every call before the callback is consulted, so none is registered.
      ...(plan.permissionMode === "bypassPermissions"
        ? {}
        : {
            canUseTool: (toolName: string, toolInput: Record<string, unknown>, context: SdkCanUseToolContext) => {
              const turn = this.current;
              if (turn === null || turn.isSettled) return Promise.resolve({ behavior: "deny", message: "no run is waiting for this tool" });
              return turn.requestApproval(toolName, toolInput, context);
            },
          }),
      spawnClaudeCodeProcess: (spawnOptions: SdkSpawnOptions) => {
        const proc = spawnInGroup(spawnOptions, setup.runOptions.stderrTailBytes);
        this.process = proc;
        return proc;
      },
    };
    try {
      this.query = setup.sdk.query({ prompt: this.input, options });
    } catch (error) {
      throw AsmError.from(error, "transport_error", { provider: "claude" });
    }
    this.ended = this.pump();
  }

  /** Whether the agent process is still usable. */
  get alive(): boolean {
    return !this.dead;
  }

  /** The Claude session id, once the CLI reported it. */
  get sessionId(): string | null {
    return this.providerSessionId;
  }

  /** Whether a run with `plan` can be the next turn of this process. */
  accepts(plan: ClaudeSdkPlan, cwd: string, cliPath: string): boolean {
    if (this.dead || this.current !== null) return false;
    if (plan.processKey !== this.setup.plan.processKey || cwd !== this.setup.cwd || cliPath !== this.setup.cli.path) return false;
    // Entering or leaving bypass mode adds or removes the approval callback: that needs a new process.
    if ((plan.permissionMode === "bypassPermissions") !== (this.setup.plan.permissionMode === "bypassPermissions")) return false;
    // No continuation asks for a fresh conversation; `latest` is this one; an id must be this one.
    if (plan.resume === undefined) return false;
    if (plan.resume === "latest") return this.providerSessionId !== null;
    return plan.resume.id === this.providerSessionId;
  }

  /** Starts the next turn: applies a changed model or permission mode, then sends the prompt. */
  async beginTurn(config: BackendStartConfig, plan: ClaudeSdkPlan, runOptions: LaneRunOptions): Promise<TurnSession> {
    if (this.draining !== null) {
      const drained = await Promise.race([this.draining.done.then(() => true), delay(DRAIN_WAIT_MS).then(() => false)]);
      if (!drained) throw new AsmError("transport_error", "the previous turn did not wind down", { provider: "claude" });
    }
    if (this.dead) throw new AsmError("transport_error", "the claude process has exited", { provider: "claude" });
    if (plan.model !== this.model) {
      if (typeof this.query.setModel !== "function") throw new AsmError("unsupported", "this Claude Agent SDK cannot change the model mid-session", { provider: "claude" });
      await this.query.setModel(plan.model);
      this.model = plan.model;
    }
    if (plan.permissionMode !== this.permissionMode) {
      if (typeof this.query.setPermissionMode !== "function") {
        throw new AsmError("unsupported", "this Claude Agent SDK cannot change the permission mode mid-session", { provider: "claude" });
      }
      await this.query.setPermissionMode(plan.permissionMode);
      this.permissionMode = plan.permissionMode;
    }
    const turn = new TurnSession(config, runOptions, this);
    this.current = turn;
    // A turn after the first gets the session's init again, so its events carry the session id and model.
    if (this.lastInit !== null) turn.message(this.lastInit);
    this.input.push({ type: "user", message: { role: "user", content: config.prompt }, parent_tool_use_id: null, session_id: this.providerSessionId ?? "" });
    return turn;
  }

  private async pump(): Promise<void> {
    try {
      for await (const message of this.query) this.route(message);
    } catch (error) {
      this.failure = error;
    }
    this.dead = true;
    const exit = this.process === null ? { exitCode: null, signal: null } : await this.process.gone;
    const stderrTail = this.process?.stderrTail() ?? "";
    this.current?.processEnded({ exitCode: exit.exitCode, signal: exit.signal, stderrTail }, this.failure);
    this.current = null;
    this.draining?.resolve();
  }

  private route(message: unknown): void {
    if (isRecord(message)) {
      if (typeof message["session_id"] === "string" && message["session_id"] !== "") this.providerSessionId = message["session_id"];
      if (message["type"] === "system" && message["subtype"] === "init") this.lastInit = message;
      if (this.current === null && message["type"] === "result" && this.draining !== null) {
        const draining = this.draining;
        this.draining = null;
        draining.resolve();
        return;
      }
    }
    this.current?.message(message);
  }

  // ---- TurnHost --------------------------------------------------------------------------------

  /** The SDK's graceful interrupt. */
  async interrupt(): Promise<void> {
    if (this.dead) return;
    await this.query.interrupt();
  }

  /** A turn is over; one that ended early leaves its closing messages to drain. */
  turnSettled(turn: TurnSession, cleanly: boolean): void {
    if (this.current !== turn) return;
    this.current = null;
    if (!cleanly && !this.dead && this.draining === null) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      this.draining = { done, resolve };
    }
  }

  /** Stops the agent process at once (a stuck agent, a turn that will not wind down). */
  kill(): void {
    this.dead = true;
    this.input.end();
    this.process?.killAll();
    try {
      this.query.close?.();
    } catch {
      // Already closed.
    }
  }

  /** Ends the session's process: the prompt closes, then SIGTERM, grace, SIGKILL to its group. */
  async close(): Promise<void> {
    this.input.end();
    const proc = this.process;
    if (proc !== null) {
      const graceful = await Promise.race([proc.gone.then(() => true), delay(this.setup.runOptions.closeGraceMs).then(() => false)]);
      if (!graceful) proc.kill("SIGTERM");
      const terminated = await Promise.race([proc.gone.then(() => true), delay(this.setup.runOptions.closeGraceMs).then(() => false)]);
      if (!terminated) proc.killAll();
    }
    try {
      this.query.close?.();
    } catch {
      // Already closed.
    }
    this.dead = true;
    await Promise.race([this.ended, delay(5_000)]);
  }

  /** Backend info for the turns of this process. */
  info(): Omit<BackendInfo, "capabilities" | "features"> & Pick<BackendInfo, "capabilities" | "features"> {
    return {
      provider: "claude",
      lane: "sdk",
      backend: "sdk:claude",
      runtime: "claude-agent-sdk",
      capabilities: [...this.setup.capabilities],
      features: { ...this.setup.features },
      session: {
        command: this.setup.cli.path,
        cwd: this.setup.cwd,
        cliPath: this.setup.cli.path,
        cliSource: this.setup.cli.source,
        ...(this.process?.pid === undefined ? {} : { pid: this.process.pid }),
        ...(this.providerSessionId === null ? {} : { providerSessionId: this.providerSessionId }),
      },
      observability: { surface: "local" },
    };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}
