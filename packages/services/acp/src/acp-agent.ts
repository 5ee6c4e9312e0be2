import { Readable, Writable } from "node:stream";
import {
  agent,
  methods,
  ndJsonStream,
  PROTOCOL_VERSION,
  RequestError,
  type AgentApp,
  type AgentConnection,
  type AgentContext,
  type McpServer,
  type StopReason,
} from "@agentclientprotocol/sdk";
import type { AsmEvent } from "@asm/contract";
import { initialRunState, reduceEvent, toResult, type Asm, type EventStore, type RunStream, type Session } from "@asm/core";
import { promptTextOf } from "./internal/prompt-text.js";
import { SessionUpdates, toolKindOf } from "./internal/session-updates.js";

/** Options of {@link createAcpAgent}. */
export interface AcpAgentOptions {
  /** The runtime the agent's sessions run on. */
  asm: Asm;
  /** The provider every session uses. */
  provider: string;
  /** Session options of every session (`cliPath`, `permissionMode`, provider options, …). */
  sessionOptions?: Record<string, unknown>;
  /** The runtime's event store: with it, `session/load` replays and continues stored sessions. */
  store?: EventStore;
  /** Name and version the agent reports in `initialize`. */
  agentInfo?: { name: string; version: string };
}

/** One ACP session and the ASM session behind it. */
interface AgentSession {
  session: Session;
  /** After `session/load`: the provider session the next prompt continues. */
  resumeFrom: string | undefined;
  active: RunStream | undefined;
  cancelled: boolean;
}

/** ACP's stop reason for a provider stop reason. */
function stopReasonOf(stopReason: string | null): StopReason {
  if (stopReason === "max_tokens" || stopReason === "length") return "max_tokens";
  if (stopReason === "refusal") return "refusal";
  return "end_turn";
}

/** The last provider session id among stored events. */
function lastProviderSession(events: readonly AsmEvent[]): string | undefined {
  for (let index = events.length - 1; index >= 0; index--) {
    const id = events[index]?.providerSessionId;
    if (id) return id;
  }
  return undefined;
}

/**
 * An ACP agent whose sessions are ASM sessions of one provider: `initialize`, `session/new`,
 * `session/prompt` streaming `session/update` notifications from the run's events,
 * `session/request_permission` for ASM approvals, `session/cancel` as interrupt, and
 * `session/load` from the runtime's store when one is given.
 */
export function createAcpAgent(options: AcpAgentOptions): AgentApp {
  const { asm, provider, store } = options;
  const sessions = new Map<string, AgentSession>();

  const refuseMcp = (servers: readonly McpServer[] | undefined) => {
    if ((servers?.length ?? 0) > 0) throw RequestError.invalidParams({ key: "mcpServers", code: "unsupported" }, "MCP servers from the client are not supported; configure them in the provider");
  };
  const startSession = async (cwd: string, sessionId?: string) =>
    asm.startSession({ provider, ...options.sessionOptions, ...(cwd ? { cwd } : {}), ...(sessionId ? { sessionId } : {}) });

  const askPermission = async (client: AgentContext, sessionId: string, event: Extract<AsmEvent, { kind: "approval_requested" }>) => {
    const { approvalId, subject, details } = event.payload;
    let decision: "allow" | "deny" = "deny";
    try {
      const response = await client.request(methods.client.session.requestPermission, {
        sessionId,
        toolCall: { toolCallId: approvalId, title: subject, kind: toolKindOf(subject), status: "pending", rawInput: details },
        options: [
          { optionId: "allow", name: "Allow", kind: "allow_once" },
          { optionId: "deny", name: "Deny", kind: "reject_once" },
        ],
      });
      if (response.outcome.outcome === "selected" && response.outcome.optionId === "allow") decision = "allow";
    } catch {
      // The client failed to answer: denied, as an unanswered approval is.
    }
    // The approval may be gone meanwhile (cancelled, timed out): nothing left to answer.
    await asm.approve(approvalId, decision).catch(() => undefined);
  };

  return agent({ name: "asm" })
    .onRequest(methods.agent.initialize, () => ({
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: { loadSession: store !== undefined, promptCapabilities: { image: false, audio: false, embeddedContext: true } },
      authMethods: [],
      agentInfo: { name: options.agentInfo?.name ?? `asm-${provider}`, version: options.agentInfo?.version ?? "0.1.0" },
    }))
    .onRequest(methods.agent.session.new, async ({ params }) => {
      refuseMcp(params.mcpServers);
      const session = await startSession(params.cwd);
      sessions.set(session.id, { session, resumeFrom: undefined, active: undefined, cancelled: false });
      return { sessionId: session.id };
    })
    .onRequest(methods.agent.session.load, async ({ params, client }) => {
      if (!store) throw RequestError.methodNotFound(methods.agent.session.load);
      refuseMcp(params.mcpServers);
      const events = await store.list(params.sessionId);
      if (events.length === 0) throw RequestError.sessionNotFound(params.sessionId);
      const updates = new SessionUpdates();
      for (const event of events) {
        for (const update of updates.updatesOf(event)) await client.notify(methods.client.session.update, { sessionId: params.sessionId, update });
      }
      const existing = sessions.get(params.sessionId);
      if (!existing) {
        const session = await startSession(params.cwd, params.sessionId);
        sessions.set(session.id, { session, resumeFrom: lastProviderSession(events), active: undefined, cancelled: false });
      }
      return {};
    })
    .onRequest(methods.agent.session.prompt, async ({ params, client }) => {
      const entry = sessions.get(params.sessionId);
      if (!entry) throw RequestError.sessionNotFound(params.sessionId);
      if (entry.active) throw RequestError.invalidRequest({ code: "at_capacity" }, "a prompt is already running in this session");
      const text = promptTextOf(params.prompt);
      const stream = entry.resumeFrom ? entry.session.resumeRun(text, { target: entry.resumeFrom }) : entry.session.stream(text);
      entry.resumeFrom = undefined;
      entry.active = stream;
      entry.cancelled = false;
      const updates = new SessionUpdates();
      const state = initialRunState();
      try {
        for await (const event of stream) {
          reduceEvent(state, event);
          for (const update of updates.updatesOf(event)) await client.notify(methods.client.session.update, { sessionId: params.sessionId, update });
          if (event.kind === "approval_requested") void askPermission(client, params.sessionId, event);
        }
      } finally {
        entry.active = undefined;
      }
      const result = toResult(state);
      if (entry.cancelled || result.error?.code === "user_cancelled") return { stopReason: "cancelled" as const };
      if (result.error) throw RequestError.internalError({ code: result.error.code }, result.error.reason);
      return { stopReason: stopReasonOf(result.stopReason) };
    })
    .onNotification(methods.agent.session.cancel, ({ params }) => {
      const entry = sessions.get(params.sessionId);
      if (!entry?.active) return;
      entry.cancelled = true;
      void asm.interrupt(entry.active.runId).catch(() => undefined);
    });
}

/**
 * Serves the agent over a byte stream pair (stdio: `process.stdin`, `process.stdout`) as
 * newline-delimited JSON-RPC. The connection's `closed` resolves when the client goes away.
 */
export function serveAcp(options: AcpAgentOptions & { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): AgentConnection {
  const app = createAcpAgent(options);
  const output = Writable.toWeb(options.output as Writable) as WritableStream<Uint8Array>;
  const input = Readable.toWeb(options.input as Readable) as ReadableStream<Uint8Array>;
  return app.connect(ndJsonStream(output, input));
}
