import { toolKindOf, type BackendEvent, type ContentBlock, type EventKind, type ExitInfo, type ParserContext, type PayloadInputOf, type ProfileParser } from "@asm/contract";
import {
  BoundedMap,
  createJsonLineParser,
  createParserEvents,
  DEFAULT_PARSER_STATE_CAPACITY,
  errorTableFields,
  finiteNumber,
  isRecord,
  nonEmptyString,
  nonNegativeInt,
  stringList,
  type LineHandler,
} from "@asm/provider-utils";
import { approvalDetails, automaticReply } from "./control-requests.js";
import { classifyClaudeApiFailure, classifyClaudeExit, type ClaudeApiFailure } from "./exit-classification.js";
import { compact, textOfBlocks, toolResultContent, type Json } from "./payload-helpers.js";
import { mapResult } from "./result-mapping.js";
import { claudeStderrWarnings } from "./stderr-warnings.js";
import { readTextDeltaLine } from "./text-delta-line.js";

/** Top-level `type`s the parser understands (mapped, answered, or passed through as `raw`); any other is `metadata.unknownType`. */
export const CLAUDE_KNOWN_EVENT_TYPES = [
  "system",
  "assistant",
  "user",
  "stream_event",
  "result",
  "control_request",
  "control_response",
  "control_cancel_request",
  "keep_alive",
  "rate_limit_event",
  "tool_progress",
  "tool_use_summary",
  "auth_status",
  "prompt_suggestion",
  "transcript_mirror",
] as const;

const TOOL_USE_BLOCKS: ReadonlySet<string> = new Set(["tool_use", "server_tool_use", "mcp_tool_use"]);
const INTERRUPT_MARKER = "[Request interrupted by user";

/**
 * Maps Claude Code's `--output-format stream-json` output (and its stdio control protocol) onto
 * contract events. One parser per run; it keeps the session id, the tool names by call id, the
 * pending approvals and the last API failure.
 */
class ClaudeStreamParser {
  private sessionId: string | undefined;
  private runStarted = false;
  private outcomeEmitted = false;
  private model: string | undefined;
  private streamMessageId: string | undefined;
  private lastApiFailure: ClaudeApiFailure | undefined;
  private interruptSeen = false;
  private readonly toolNames = new BoundedMap<string, string>(DEFAULT_PARSER_STATE_CAPACITY);
  // Bounded like every map keyed by ids the CLI prints: unanswered requests cannot grow it without end.
  private readonly pendingApprovals = new BoundedMap<string, true>(DEFAULT_PARSER_STATE_CAPACITY);
  private readonly events = createParserEvents({ sessionId: () => this.sessionId });
  /** The parser the kernel drives; this object keeps its state. */
  readonly parser: ProfileParser;

  constructor(private readonly context: ParserContext) {
    const raw: LineHandler = (line) => [this.raw(line)];
    this.parser = createJsonLineParser({
      cliName: "Claude Code",
      events: this.events,
      fastLine: (text) => this.textDeltaLine(text),
      beforeDispatch: (line) => this.trackSession(line),
      handlers: {
        system: (line) => this.system(line),
        assistant: (line) => this.assistant(line),
        user: (line) => this.user(line),
        stream_event: (line) => this.streamEvent(line),
        result: (line) => this.result(line),
        control_request: (line) => this.controlRequest(line),
        control_response: (line) => this.controlResponse(line),
        control_cancel_request: (line) => this.controlCancel(line),
        rate_limit_event: (line) => this.rateLimit(line),
        keep_alive: () => [],
        // Known, and passed through as they are.
        tool_progress: raw,
        tool_use_summary: raw,
        auth_status: raw,
        prompt_suggestion: raw,
        transcript_mirror: raw,
      },
      stderr: (chunk) => this.stderr(chunk),
      exit: (info) => this.exitEvents(info),
    });
  }

  /** A new session id becomes `session_updated`, except on the `init` line that announces the run. */
  private trackSession(line: Json): BackendEvent[] {
    const sessionId = nonEmptyString(line["session_id"]);
    if (sessionId === undefined || sessionId === this.sessionId) return [];
    this.sessionId = sessionId;
    const announcesRun = line["type"] === "system" && line["subtype"] === "init" && !this.runStarted;
    return announcesRun ? [] : [this.event("session_updated", { providerSessionId: sessionId }, line)];
  }

  /** Stderr stays `stderr`; Claude's own `[claude-code:<code>]` warnings are also `warning` events. */
  private stderr(chunk: string): BackendEvent[] {
    if (chunk === "") return [];
    const events = [this.event("stderr", { content: chunk }, chunk)];
    for (const warning of claudeStderrWarnings(chunk)) events.push(this.event("warning", { ...warning }, chunk));
    return events;
  }

  private exitEvents(info: ExitInfo): BackendEvent[] {
    if (this.outcomeEmitted || info.outcomeSeen) return [];
    this.outcomeEmitted = true;
    const events: BackendEvent[] = [];
    for (const approvalId of this.pendingApprovals.keys()) {
      events.push(this.event("approval_resolved", { approvalId, decision: "deny", reason: "cancelled" }, info));
    }
    this.pendingApprovals.clear();
    const failure = classifyClaudeExit(info, this.lastApiFailure);
    events.push(
      this.event(
        "error",
        compact({
          message: failure.message,
          code: failure.code,
          severity: "error" as const,
          ...errorTableFields(failure.code),
          exitCode: info.exitCode,
          stderrTail: info.stderrTail === "" ? undefined : info.stderrTail,
          details: compact({ signal: info.signal ?? undefined, apiErrorStatus: this.lastApiFailure?.status }),
        }),
        info,
      ),
    );
    return events;
  }

  private system(line: Json): BackendEvent[] {
    switch (line["subtype"]) {
      case "init": {
        this.model = nonEmptyString(line["model"]) ?? this.model;
        // Claude Code repeats `init` at the start of every turn; the run starts once.
        if (this.runStarted) return [this.raw(line)];
        this.runStarted = true;
        // The kernel emits the run's one `run_started` (decision 0002): the init line announces
        // the provider session and the CLI's details, live and under `asm parse` alike.
        if (this.sessionId === undefined) return [this.raw(line)];
        return [
          this.event(
            "session_updated",
            compact({
              providerSessionId: this.sessionId,
              cwd: nonEmptyString(line["cwd"]),
              model: this.model,
              cliVersion: nonEmptyString(line["claude_code_version"]),
              tools: stringList(line["tools"]),
              permissionMode: nonEmptyString(line["permissionMode"]),
              mcpServers: Array.isArray(line["mcp_servers"]) ? line["mcp_servers"] : undefined,
              apiKeySource: nonEmptyString(line["apiKeySource"]),
              // Claude Code 2.1.332 and later say whether its sandbox is on for the run.
              sandboxEnabled: typeof line["sandbox_enabled"] === "boolean" ? line["sandbox_enabled"] : undefined,
            }),
            line,
          ),
        ];
      }
      case "api_retry":
        return this.apiRetry(line);
      case "permission_denied": {
        const toolName = nonEmptyString(line["tool_name"]);
        return [
          this.event(
            "warning",
            {
              code: "permission_denied",
              message: nonEmptyString(line["message"]) ?? `Claude Code denied the ${toolName ?? "tool"} call by itself`,
              details: compact({ toolName, toolUseId: nonEmptyString(line["tool_use_id"]) }),
            },
            line,
          ),
        ];
      }
      default:
        return [this.raw(line)];
    }
  }

  private apiRetry(line: Json): BackendEvent[] {
    const status = finiteNumber(line["error_status"]);
    const errorKind = nonEmptyString(line["error"]);
    const attempt = finiteNumber(line["attempt"]);
    const maxRetries = finiteNumber(line["max_retries"]);
    const delay = finiteNumber(line["retry_delay_ms"]);
    const cause = [status === undefined ? undefined : `HTTP ${status}`, errorKind].filter(Boolean).join(" ") || "an error";
    this.lastApiFailure = compact({ text: `The model API request failed with ${cause}`, status, errorKind });
    const message =
      `Claude Code is retrying a failed model API request (${cause}; attempt ${attempt ?? "?"} of ${maxRetries ?? "?"}` +
      (delay === undefined ? ")" : `, next try in ${delay} ms)`);
    const details = compact({ attempt, maxRetries, retryDelayMs: delay, errorStatus: status, error: errorKind });
    if (status === 429) return [this.event("rate_limited", { message, ...details }, line)];
    const retry = this.event("warning", { code: "api_retry", message, details }, line);
    // Claude Code retries a rejected key as it retries a 5xx (about ten times, minutes in all),
    // yet a key that was refused once will be refused again: end the run now with auth_error, so
    // the caller learns within seconds; the kernel then closes the CLI.
    if (this.outcomeEmitted || classifyClaudeApiFailure(this.lastApiFailure) !== "auth_error") return [retry];
    this.outcomeEmitted = true;
    this.pendingApprovals.clear();
    const text = `Claude Code's model API request was refused (${cause}): check ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN, or run \`claude login\`.`;
    return [
      retry,
      this.event(
        "error",
        compact({ message: text, code: "auth_error" as const, severity: "error" as const, ...errorTableFields("auth_error"), apiErrorStatus: status, details: compact({ error: errorKind, attempt }) }),
        line,
      ),
    ];
  }

  private assistant(line: Json): BackendEvent[] {
    const message = line["message"];
    if (!isRecord(message)) return [this.raw(line)];
    const model = nonEmptyString(message["model"]);
    if (line["is_api_error_message"] === true) {
      // The CLI's rendering of a failed API call, not model output: it becomes the error outcome.
      this.lastApiFailure = compact({
        text: textOfBlocks(message["content"]) || nonEmptyString(line["error"]) || "The model API request failed",
        status: finiteNumber(line["api_error_status"]),
        errorKind: nonEmptyString(line["error"]),
      });
      return [this.raw(line)];
    }
    if (model !== undefined && model !== "<synthetic>") this.model = model;
    const common = compact({
      messageId: nonEmptyString(message["id"]),
      parentToolUseId: nonEmptyString(line["parent_tool_use_id"]),
      aborted: line["aborted"] === true ? true : undefined,
    });
    const content = typeof message["content"] === "string" ? [{ type: "text", text: message["content"] }] : message["content"];
    if (!Array.isArray(content)) return [this.raw(line)];
    if (content.length === 0) return [this.event("assistant_message", compact({ content: [], model, ...common }), line)];

    const events: BackendEvent[] = [];
    for (const block of content) {
      if (!isRecord(block) || typeof block["type"] !== "string") continue;
      const blockType = block["type"];
      if (blockType === "thinking" || blockType === "redacted_thinking") {
        events.push(
          this.event(
            "thinking",
            compact({
              content: typeof block["thinking"] === "string" ? block["thinking"] : "",
              signature: nonEmptyString(block["signature"]),
              redacted: blockType === "redacted_thinking" ? true : undefined,
              ...common,
            }),
            line,
          ),
        );
        continue;
      }
      const toolCallId = nonEmptyString(block["id"]);
      const toolName = nonEmptyString(block["name"]);
      if (TOOL_USE_BLOCKS.has(blockType) && toolCallId !== undefined && toolName !== undefined) {
        this.toolNames.set(toolCallId, toolName);
        events.push(this.event("tool_use", { toolName, toolKind: toolKindOf(toolName, blockType === "mcp_tool_use" ? "mcp" : undefined), toolCallId, input: block["input"] ?? {}, ...common }, line));
        continue;
      }
      events.push(
        this.event("assistant_message", compact({ content: [block as ContentBlock], model, ...common }), line),
      );
    }
    return events;
  }

  private user(line: Json): BackendEvent[] {
    const message = line["message"];
    if (!isRecord(message)) return [this.raw(line)];
    const flags = compact({
      parentToolUseId: nonEmptyString(line["parent_tool_use_id"]),
      replay: line["isReplay"] === true ? true : undefined,
      synthetic: line["isSynthetic"] === true ? true : undefined,
    });
    const content = message["content"];
    if (typeof content === "string") {
      if (content.includes(INTERRUPT_MARKER)) this.interruptSeen = true;
      return [this.event("user_message", { content, ...flags }, line)];
    }
    if (!Array.isArray(content)) return [this.raw(line)];

    const toolResults = content.filter((block) => isRecord(block) && block["type"] === "tool_result").length;
    const meta = Array.isArray(line["tool_result_meta"]) ? line["tool_result_meta"].filter(isRecord) : [];
    const events: BackendEvent[] = [];
    for (const block of content) {
      if (!isRecord(block) || typeof block["type"] !== "string") continue;
      const toolCallId = nonEmptyString(block["tool_use_id"]);
      if (block["type"] === "tool_result" && toolCallId !== undefined) {
        const decision = meta.find((entry) => entry["id"] === toolCallId)?.["permission_decision"];
        events.push(
          this.event(
            "tool_result",
            compact({
              toolCallId,
              toolName: this.toolNames.get(toolCallId),
              content: toolResultContent(block["content"]),
              isError: block["is_error"] === true,
              toolUseResult: toolResults === 1 && isRecord(line["tool_use_result"]) ? line["tool_use_result"] : undefined,
              permissionDecision: isRecord(decision) ? decision : undefined,
              ...flags,
            }),
            line,
          ),
        );
        continue;
      }
      if (block["type"] === "text" && typeof block["text"] === "string" && block["text"].includes(INTERRUPT_MARKER)) {
        this.interruptSeen = true;
      }
      events.push(
        this.event("user_message", { content: [block as ContentBlock], ...flags }, line),
      );
    }
    return events;
  }

  /**
   * A text fragment line read from its text (see text-delta-line.ts): the same event the usual
   * path makes of it. A new session id, or an empty fragment, is left to the usual path.
   */
  private textDeltaLine(text: string): BackendEvent[] | undefined {
    const fields = readTextDeltaLine(text);
    if (fields === undefined || fields.sessionId !== this.sessionId || fields.text === "") return undefined;
    return [this.event("assistant_delta", this.deltaPayload(fields.text, fields.index, fields.parentToolUseId), fields.line)];
  }

  // A text fragment's payload, its fields assigned in order rather than compacted: fragments are
  // most of a stream's lines.
  private deltaPayload(content: string, index: number | undefined, parentToolUseId: unknown): PayloadInputOf<"assistant_delta"> {
    const payload: PayloadInputOf<"assistant_delta"> = index === undefined ? { content } : { content, index };
    if (this.streamMessageId !== undefined) payload.messageId = this.streamMessageId;
    const parent = nonEmptyString(parentToolUseId);
    if (parent !== undefined) payload.parentToolUseId = parent;
    return payload;
  }

  private streamEvent(line: Json): BackendEvent[] {
    const event = line["event"];
    if (!isRecord(event)) return [this.raw(line)];
    if (event["type"] === "message_start" && isRecord(event["message"])) {
      this.streamMessageId = nonEmptyString(event["message"]["id"]) ?? this.streamMessageId;
    }
    const delta = event["delta"];
    // Text fragments become deltas. Thinking fragments stay raw: the complete thinking block
    // follows in the `assistant` line, and emitting both would duplicate it.
    if (event["type"] === "content_block_delta" && isRecord(delta) && delta["type"] === "text_delta") {
      const text = delta["text"];
      if (typeof text === "string" && text !== "") {
        return [this.event("assistant_delta", this.deltaPayload(text, nonNegativeInt(event["index"]), line["parent_tool_use_id"]), line)];
      }
    }
    return [this.raw(line)];
  }

  private result(line: Json): BackendEvent[] {
    // In stream-json input mode one process can run several turns, each ending in a result; the
    // run's outcome is the first one.
    if (this.outcomeEmitted) return [this.raw(line)];
    this.outcomeEmitted = true;
    this.pendingApprovals.clear();
    const { cost, outcome } = mapResult(line, {
      model: this.model,
      lastApiFailure: this.lastApiFailure,
      interruptSeen: this.interruptSeen,
    });
    const events: BackendEvent[] = [];
    if (cost !== undefined) events.push(this.event("cost_update", cost, line));
    events.push(outcome.kind === "result" ? this.event("result", outcome.payload, line) : this.event("error", outcome.payload, line));
    return events;
  }

  private controlRequest(line: Json): BackendEvent[] {
    const requestId = nonEmptyString(line["request_id"]);
    const request = line["request"];
    if (requestId === undefined || !isRecord(request)) return [this.raw(line)];
    if (request["subtype"] === "can_use_tool") {
      this.pendingApprovals.set(requestId, true);
      const details = approvalDetails(requestId, request);
      return [this.event("approval_requested", { approvalId: requestId, subject: String(details["toolName"]), details }, line)];
    }
    return this.answer(line, automaticReply(requestId, request));
  }

  /** Answers a CLI request at once (so it never waits on the host) and passes the request on as raw. */
  private answer(line: Json, reply: string): BackendEvent[] {
    try {
      this.context.reply(reply);
      return [this.raw(line)];
    } catch (error) {
      return [
        this.raw(line),
        this.event(
          "warning",
          {
            code: "control_reply_failed",
            message: `could not answer Claude Code's control request: ${error instanceof Error ? error.message : String(error)}`,
            details: { requestId: line["request_id"] },
          },
          line,
        ),
      ];
    }
  }

  private controlResponse(line: Json): BackendEvent[] {
    const response = line["response"];
    if (isRecord(response) && response["subtype"] === "error") {
      return [
        this.event(
          "warning",
          {
            code: "control_error",
            message: nonEmptyString(response["error"]) ?? "Claude Code rejected a control request",
            details: compact({ requestId: nonEmptyString(response["request_id"]), errorCode: nonEmptyString(response["error_code"]) }),
          },
          line,
        ),
      ];
    }
    return [this.raw(line)];
  }

  private controlCancel(line: Json): BackendEvent[] {
    const requestId = nonEmptyString(line["request_id"]);
    if (requestId === undefined || !this.pendingApprovals.delete(requestId)) return [this.raw(line)];
    return [this.event("approval_resolved", { approvalId: requestId, decision: "deny", reason: "cancelled" }, line)];
  }

  private rateLimit(line: Json): BackendEvent[] {
    const info = line["rate_limit_info"];
    if (!isRecord(info) || info["status"] !== "rejected") return [this.raw(line)];
    const resetsAt = finiteNumber(info["resetsAt"]);
    // Claude Code reports epoch seconds.
    const resetsAtMs = resetsAt === undefined ? undefined : resetsAt < 1e12 ? resetsAt * 1000 : resetsAt;
    const resetDate = resetsAtMs === undefined ? undefined : new Date(resetsAtMs);
    const limitType = nonEmptyString(info["rateLimitType"]);
    return [
      this.event(
        "rate_limited",
        compact({
          message: `Claude usage limit reached${limitType === undefined ? "" : ` (${limitType})`}`,
          resetsAt: resetDate === undefined || Number.isNaN(resetDate.getTime()) ? undefined : resetDate.toISOString(),
          rateLimitType: limitType,
        }),
        line,
      ),
    ];
  }

  private raw(value: unknown): BackendEvent {
    return this.events.raw(value);
  }

  private event<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, raw: unknown): BackendEvent {
    return this.events.event(kind, payload, raw);
  }
}

/**
 * A fresh parser for one Claude Code run. Feed it stdout lines, stderr chunks, and the exit; it
 * returns contract events, answers the CLI's own control requests (hooks, MCP messages) through
 * `context.reply`, and guarantees exactly one outcome once `exit()` has been called.
 *
 * @example
 * ```ts
 * const parser = createClaudeParser({ provider: "claude", reply: (line) => child.stdin.write(line + "\n") });
 * for (const event of parser.line(stdoutLine)) emit(event);
 * ```
 */
export function createClaudeParser(context: ParserContext): ProfileParser {
  return new ClaudeStreamParser(context).parser;
}
