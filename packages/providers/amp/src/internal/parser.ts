import {
  stopReasonFields,
  toolKindOf,
  type AsmErrorCode,
  type BackendEvent,
  type ContentBlock,
  type EventKind,
  type ExitInfo,
  type ParserContext,
  type PayloadInputOf,
  type ProfileParser,
  type Usage,
} from "@asm/contract";
import {
  BoundedMap,
  classifyCommonExit,
  createJsonLineParser,
  createParserEvents,
  DEFAULT_PARSER_STATE_CAPACITY,
  describeExit,
  firstDefined,
  firstNumber,
  firstString,
  isRecord,
  stringList,
  stringOf,
  terminalErrorPayload,
  tokenCount,
  type JsonObject,
  type LineHandler,
} from "@asm/provider-utils";
import { flattenToolResultContent, toContentBlocks } from "./content-blocks.js";
import { ampDiscovery } from "./discovery.js";
import { errorCodeFor } from "./error-kinds.js";
import { classifyAmpFailure, stderrSummary } from "./exit-classification.js";
import { addUsage, readUsage } from "./usage.js";

const SESSION_ID_KEYS = ["session_id", "sessionId", "thread_id", "threadId", "provider_session_id"];
const UNAVAILABLE_MCP_STATUSES = new Set(["failed", "denied", "blocked-by-registry"]);
const ERROR_SEVERITIES = new Set(["info", "warning", "error", "fatal"]);
const ALLOW_DECISIONS = new Set(["allow", "allowed", "approve", "approved", "allow_once", "allow_always", "true"]);

/**
 * A fresh parser for one run of `amp --execute --stream-json`. Amp's stream is Claude Code
 * compatible (`system` init, `assistant`, `user`, `result` with `is_error`); the older event names
 * (`message_streamed`, `tool_call_started`, `run_completed`…) are understood too; any other type
 * is passed through as `raw` with `metadata.unknownType`. The parser keeps no clock or
 * randomness: the same lines always give the same events.
 */
export function createAmpParser(_context?: ParserContext): ProfileParser {
  return new AmpStreamParser().parser;
}

class AmpStreamParser {
  private sessionId: string | undefined;
  private outcomeSeen = false;
  private terminalErrorSeen = false;
  private readonly toolNames = new BoundedMap<string, string>(DEFAULT_PARSER_STATE_CAPACITY);
  private readonly messageUsage = new BoundedMap<string, Usage>(DEFAULT_PARSER_STATE_CAPACITY);
  private lastStopReason: string | null = null;
  private generatedIds = 0;
  private readonly events = createParserEvents({ sessionId: () => this.sessionId });
  /** The parser the kernel drives; this object keeps its state. */
  readonly parser: ProfileParser = createJsonLineParser({
    cliName: "Amp",
    events: this.events,
    typeOf: (line) => firstString(line, "type", "event"),
    beforeDispatch: (line, type) => this.trackSession(line, type),
    handlers: this.handlers(),
    stderr: (chunk) => (chunk === "" ? [] : [this.emit("stderr", { content: chunk })]),
    exit: (info) => this.exitEvents(info),
  });

  private trackSession(value: JsonObject, type: string): BackendEvent[] {
    const id = firstString(value, ...SESSION_ID_KEYS);
    if (id === undefined || id === this.sessionId) return [];
    this.sessionId = id;
    // The init line announces the id itself, with more detail.
    return isInitLine(type, value) ? [] : [this.emit("session_updated", { providerSessionId: id }, { raw: value })];
  }

  private emit<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, extras: { raw?: unknown; metadata?: Record<string, unknown> } = {}): BackendEvent {
    return this.events.event(kind, payload, extras.raw, extras.metadata);
  }

  private exitEvents(info: ExitInfo): BackendEvent[] {
    if (this.outcomeSeen || info.outcomeSeen) {
      if (this.terminalErrorSeen || info.exitCode === 0) return [];
      const how = describeExit(info);
      return [
        this.emit("warning", {
          code: "exit_after_outcome",
          message: `Amp ${how} after reporting its result`,
          details: { exitCode: info.exitCode, signal: info.signal, stderr: stderrSummary(info.stderrTail) },
        }),
      ];
    }
    this.outcomeSeen = true;
    this.terminalErrorSeen = true;
    const common = classifyCommonExit(info, { cliName: "Amp", commandNames: ampDiscovery.binaryNames, installHint: ampDiscovery.installHint });
    const code = common?.code ?? classifyAmpFailure(info.stderrTail, info.exitCode);
    const summary = stderrSummary(info.stderrTail);
    let message =
      common?.message ??
      (info.exitCode === 0
        ? `Amp exited with code 0 without reporting a result${summary === "" ? "" : `: ${summary}`}`
        : `Amp ${describeExit(info)}${summary === "" ? " with no output" : `: ${summary}`}`);
    if (code === "auth_error" && !/amp login/i.test(summary)) message += " (run `amp login` or set AMP_API_KEY)";
    return [
      this.emit(
        "error",
        terminalErrorPayload(code, message, {
          exitCode: info.exitCode,
          ...(info.stderrTail === "" ? {} : { stderrTail: info.stderrTail }),
          ...(info.signal === null ? {} : { details: { signal: info.signal } }),
        }),
      ),
    ];
  }

  private handlers(): Record<string, LineHandler> {
    const assistant: LineHandler = (value) => this.assistant(value);
    const outcome: LineHandler = (value, type) => this.outcome(type, value);
    const delta: LineHandler = (value, type) => this.delta(type, value);
    const toolUse: LineHandler = (value) => this.toolUse(value);
    const error: LineHandler = (value, type) => this.error(type, value);
    return {
      system: (value) => this.system(value),
      assistant,
      assistant_message: assistant,
      message_received: assistant,
      user: (value) => this.user(value),
      result: outcome,
      run_completed: outcome,
      message_streamed: delta,
      assistant_delta: delta,
      text_delta: delta,
      thinking: (value, type) => this.thinking(type, value),
      tool_call_started: toolUse,
      tool_use: toolUse,
      tool_call_completed: (value) => this.toolResult(value, false),
      tool_call_failed: (value) => this.toolResult(value, true),
      tool_result: (value) => this.toolResult(value, undefined),
      approval_requested: (value) => this.approvalRequested(value),
      approval_resolved: (value) => this.approvalResolved(value),
      token_usage_updated: (value, type) => this.usageUpdate(type, value, "cumulative"),
      cost_update: (value, type) => this.usageUpdate(type, value, "increment"),
      run_cancelled: (value, type) => this.cancelled(type, value),
      error,
      error_occurred: error,
      run_failed: error,
    };
  }

  private system(value: JsonObject): BackendEvent[] {
    const subtype = firstString(value, "subtype");
    if (subtype !== "init" || this.sessionId === undefined) return this.unknown(`system:${subtype ?? "<none>"}`, value);
    const servers = Array.isArray(value.mcp_servers) ? value.mcp_servers.filter(isRecord) : [];
    const events: BackendEvent[] = [
      this.emit(
        "session_updated",
        {
          providerSessionId: this.sessionId,
          ...(typeof value.cwd === "string" ? { cwd: value.cwd } : {}),
          ...(stringList(value.tools) === undefined ? {} : { tools: stringList(value.tools) }),
          ...(servers.length === 0 ? {} : { mcpServers: servers }),
        },
        { raw: value },
      ),
    ];
    for (const server of servers) {
      const status = firstString(server, "status");
      if (status === undefined || !UNAVAILABLE_MCP_STATUSES.has(status)) continue;
      const name = firstString(server, "name") ?? "<unnamed>";
      events.push(
        this.emit(
          "warning",
          { code: "mcp_server_unavailable", message: `MCP server "${name}" is ${status}`, details: { name, status } },
          { raw: value },
        ),
      );
    }
    return events;
  }

  private assistant(value: JsonObject): BackendEvent[] {
    const message = isRecord(value.message) ? value.message : value;
    const model = firstString(message, "model");
    const stopReason = firstString(message, "stop_reason", "stopReason");
    if (stopReason !== undefined) this.lastStopReason = stopReason;
    const usage = readUsage(message.usage);
    // Usage is per model response; keyed by message id so a response split over lines counts once.
    if (usage !== null) this.messageUsage.set(firstString(message, "id") ?? `#${this.messageUsage.size}`, usage);
    const parent = firstString(value, "parent_tool_use_id");
    const extras = { raw: value, ...(parent === undefined ? {} : { metadata: { parentToolUseId: parent } }) };
    const modelField = model === undefined ? {} : { model };

    const blocks = toContentBlocks(firstDefined(message, "content", "text"));
    if (blocks.length === 0) return [this.emit("assistant_message", { content: [], ...modelField }, extras)];
    return blocks.map((block) => {
      const fields = block as Record<string, unknown>;
      if (block.type === "tool_use") {
        const toolCallId = stringOr(fields.id, () => this.generateId("tool"));
        const toolName = stringOr(fields.name, () => "unknown");
        this.toolNames.set(toolCallId, toolName);
        return this.emit("tool_use", { toolName, toolKind: toolKindOf(toolName), toolCallId, input: fields.input ?? {} }, extras);
      }
      if (block.type === "thinking") {
        const signature = typeof fields.signature === "string" ? { signature: fields.signature } : {};
        return this.emit("thinking", { content: stringOr(fields.thinking, () => ""), ...signature }, extras);
      }
      return this.emit("assistant_message", { content: [block], ...modelField }, extras);
    });
  }

  private user(value: JsonObject): BackendEvent[] {
    const message = isRecord(value.message) ? value.message : value;
    const parent = firstString(value, "parent_tool_use_id");
    const extras = { raw: value, ...(parent === undefined ? {} : { metadata: { parentToolUseId: parent } }) };
    if (typeof message.content === "string") return [this.emit("user_message", { content: message.content }, extras)];
    const blocks = toContentBlocks(message.content);
    if (blocks.length === 0) return [this.emit("user_message", { content: [] }, extras)];
    return blocks.map((block: ContentBlock) => {
      const fields = block as Record<string, unknown>;
      if (block.type !== "tool_result") return this.emit("user_message", { content: [block] }, extras);
      const toolCallId = stringOr(fields.toolUseId, () => "");
      const toolName = this.toolNames.get(toolCallId);
      return this.emit(
        "tool_result",
        {
          toolCallId,
          ...(toolName === undefined ? {} : { toolName }),
          content: flattenToolResultContent(fields.content),
          isError: fields.isError === true,
        },
        extras,
      );
    });
  }

  private outcome(type: string, value: JsonObject): BackendEvent[] {
    if (this.outcomeSeen) return this.extraOutcome(type, value);
    this.outcomeSeen = true;
    const subtype = firstString(value, "subtype");
    const status = firstString(value, "status")?.toLowerCase();
    const cancelled = isCancelled(subtype) || isCancelled(status);
    const failed =
      value.is_error === true ||
      (subtype !== undefined && subtype.startsWith("error")) ||
      status === "error" ||
      status === "failed" ||
      status === "failure";

    const events: BackendEvent[] = [];
    const usage = readUsage(firstDefined(value, "usage", "token_usage", "stats")) ?? this.summedMessageUsage();
    const costUsd = firstNumber(value, "total_cost_usd", "cost_usd", "costUsd") ?? null;
    // Amp reports the run's totals on its result line, so they replace anything counted so far.
    if (usage !== null) events.push(this.emit("cost_update", costFields(usage, costUsd, "cumulative"), { raw: value }));
    const numTurns = firstNumber(value, "num_turns", "numTurns");
    const durationMs = firstNumber(value, "duration_ms", "durationMs");
    const permissionDenials = Array.isArray(value.permission_denials) ? value.permission_denials : undefined;
    const common = {
      ...(numTurns === undefined ? {} : { numTurns: tokenCount(numTurns) }),
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(subtype === undefined ? {} : { subtype }),
      ...(permissionDenials === undefined ? {} : { permissionDenials }),
    };

    if (failed || cancelled) {
      this.terminalErrorSeen = true;
      const message =
        firstString(value, "error", "result", "message", "error_message") ??
        (isRecord(value.error) ? firstString(value.error, "message") : undefined) ??
        "Amp reported an error result";
      const kind = firstString(value, "error_code", "error_kind", "kind") ?? (isRecord(value.error) ? firstString(value.error, "type", "code") : undefined);
      const code: AsmErrorCode = cancelled ? "user_cancelled" : errorCodeFor(kind, message, "unknown");
      events.push(
        this.emit(
          "error",
          { ...terminalFields(code), message, details: { ...common, ...(status === undefined ? {} : { status }) } },
          { raw: value },
        ),
      );
      return events;
    }

    const text = firstDefined(value, "result", "output", "text", "content");
    const durationApiMs = firstNumber(value, "duration_api_ms");
    events.push(
      this.emit(
        "result",
        {
          status: "success",
          ...(typeof text === "string" ? { text } : {}),
          ...stopReasonFields(firstString(value, "stop_reason", "reason") ?? this.lastStopReason),
          ...(usage === null ? {} : { usage }),
          costUsd,
          ...common,
          ...(durationApiMs === undefined ? {} : { durationApiMs }),
        },
        { raw: value },
      ),
    );
    return events;
  }

  private delta(type: string, value: JsonObject): BackendEvent[] {
    const source = firstDefined(value, "delta", "text", "content");
    const content = isRecord(source) ? source.text : source;
    if (typeof content !== "string") return this.unknown(`${type}:<no text>`, value);
    return [this.emit("assistant_delta", { content }, { raw: value })];
  }

  private thinking(type: string, value: JsonObject): BackendEvent[] {
    const content = firstDefined(value, "thinking", "text", "content");
    if (typeof content !== "string") return this.unknown(`${type}:<no text>`, value);
    const signature = firstString(value, "signature");
    return [this.emit("thinking", { content, ...(signature === undefined ? {} : { signature }) }, { raw: value })];
  }

  private toolUse(value: JsonObject): BackendEvent[] {
    const toolCallId = firstString(value, "tool_call_id", "tool_id", "id") ?? this.generateId("tool");
    const toolName = firstString(value, "tool_name", "name") ?? "unknown";
    this.toolNames.set(toolCallId, toolName);
    const input = firstDefined(value, "tool_input", "input") ?? {};
    return [this.emit("tool_use", { toolName, toolKind: toolKindOf(toolName, firstString(value, "tool_kind")), toolCallId, input }, { raw: value })];
  }

  private toolResult(value: JsonObject, forcedError: boolean | undefined): BackendEvent[] {
    const toolCallId = firstString(value, "tool_call_id", "tool_id", "tool_use_id", "id") ?? "";
    const toolName = firstString(value, "tool_name", "name") ?? this.toolNames.get(toolCallId);
    const isError = forcedError ?? (value.is_error === true || value.isError === true || value.error === true);
    const content = flattenToolResultContent(firstDefined(value, "tool_output", "content", "output", "result") ?? "");
    return [
      this.emit(
        "tool_result",
        { toolCallId, ...(toolName === undefined ? {} : { toolName }), content, isError },
        { raw: value },
      ),
    ];
  }

  private approvalRequested(value: JsonObject): BackendEvent[] {
    const approvalId = firstString(value, "approval_id", "approvalId", "id") ?? this.generateId("approval");
    const subject = firstString(value, "tool_name", "subject", "name") ?? "tool";
    const toolCallId = firstString(value, "tool_call_id", "tool_use_id");
    const details = {
      toolInput: firstDefined(value, "tool_input", "input") ?? {},
      ...(toolCallId === undefined ? {} : { toolCallId }),
    };
    return [this.emit("approval_requested", { approvalId, subject, details }, { raw: value })];
  }

  private approvalResolved(value: JsonObject): BackendEvent[] {
    const approvalId = firstString(value, "approval_id", "approvalId", "id") ?? "";
    const decision = firstDefined(value, "decision", "approved", "allowed");
    const allowed = ALLOW_DECISIONS.has(stringOf(decision).toLowerCase());
    const reason = firstString(value, "reason");
    return [
      this.emit(
        "approval_resolved",
        { approvalId, decision: allowed ? "allow" : "deny", ...(reason === undefined ? {} : { reason }) },
        { raw: value },
      ),
    ];
  }

  private usageUpdate(type: string, value: JsonObject, mode: "increment" | "cumulative"): BackendEvent[] {
    const usage = readUsage(firstDefined(value, "token_usage", "usage", "stats") ?? value);
    if (usage === null) return this.unknown(`${type}:<no usage>`, value);
    const costUsd = firstNumber(value, "cost_usd", "total_cost_usd", "costUsd") ?? null;
    const total = firstNumber(value, "total_tokens", "totalTokens");
    const fields = costFields(usage, costUsd, mode);
    return [this.emit("cost_update", total === undefined ? fields : { ...fields, totalTokens: tokenCount(total) }, { raw: value })];
  }

  private cancelled(type: string, value: JsonObject): BackendEvent[] {
    if (this.outcomeSeen) return this.extraOutcome(type, value);
    this.outcomeSeen = true;
    this.terminalErrorSeen = true;
    const message = firstString(value, "message", "reason") ?? "Run cancelled";
    return [this.emit("error", { ...terminalFields("user_cancelled"), message }, { raw: value })];
  }

  private error(type: string, value: JsonObject): BackendEvent[] {
    const message =
      firstString(value, "error_message", "message") ??
      (isRecord(value.error) ? firstString(value.error, "message") : firstString(value, "error")) ??
      "Amp reported an error";
    const kind =
      firstString(value, "error_code", "error_kind", "kind", "code") ??
      (isRecord(value.error) ? firstString(value.error, "type", "code") : undefined);
    const code = errorCodeFor(kind, message, "unknown");
    const declared = firstString(value, "severity");
    let severity = type !== "run_failed" && declared !== undefined && ERROR_SEVERITIES.has(declared) ? declared : "error";
    const terminal = severity === "error" || severity === "fatal";
    // Exactly one outcome per run: a failure reported after it is kept, but only as a warning.
    if (terminal && this.outcomeSeen) severity = "warning";
    else if (terminal) {
      this.outcomeSeen = true;
      this.terminalErrorSeen = true;
    }
    const fields = severity === "error" || severity === "fatal" ? terminalFields(code) : { code };
    return [this.emit("error", { ...fields, message, severity: severity as "info" | "warning" | "error" | "fatal" }, { raw: value })];
  }

  private extraOutcome(type: string, value: JsonObject): BackendEvent[] {
    return [
      this.emit("raw", { stream: "stdout", content: value }, { raw: value }),
      this.emit(
        "warning",
        { code: "duplicate_outcome", message: `Amp reported "${type}" after the run's outcome; ignored`, details: { type } },
        { raw: value },
      ),
    ];
  }

  /** A known line of an unexpected shape: raw, and one `schema_drift` warning per key. */
  private unknown(key: string, value: unknown): BackendEvent[] {
    return this.events.drift(key, `unexpected Amp stream-json event "${key}"; passed through as raw`, value, { type: key });
  }

  private summedMessageUsage(): Usage | null {
    let total: Usage | null = null;
    for (const usage of this.messageUsage.values()) total = total === null ? usage : addUsage(total, usage);
    return total;
  }

  private generateId(prefix: string): string {
    this.generatedIds += 1;
    return `amp-${prefix}-${this.generatedIds}`;
  }

}

function isInitLine(type: string, value: JsonObject): boolean {
  return type === "system" && value.subtype === "init";
}

function isCancelled(value: string | undefined): boolean {
  return value === "cancelled" || value === "canceled";
}

function stringOr(value: unknown, fallback: () => string): string {
  return typeof value === "string" && value !== "" ? value : fallback();
}

function terminalFields(code: AsmErrorCode) {
  const { message: _message, ...fields } = terminalErrorPayload(code, "");
  return fields;
}

function costFields(usage: Usage, costUsd: number | null, mode: "increment" | "cumulative") {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: tokenCount(usage.inputTokens + usage.outputTokens),
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheCreationInputTokens: usage.cacheCreationInputTokens,
    costUsd,
    mode,
  };
}

