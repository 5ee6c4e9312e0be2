import {
  backendEvent,
  type BackendEvent,
  type ContentBlock,
  type EventKind,
  type ExitInfo,
  type ParserContext,
  type PayloadInputOf,
  type ProfileParser,
} from "@asm/contract";
import { classifyClaudeExit, type ClaudeApiFailure } from "./failure.js";
import { approvalDetails, automaticReply } from "./internal/control-requests.js";
import { finiteNumber, isRecord, nonEmptyString, nonNegativeInt } from "./internal/guards.js";
import { compact, errorTableFields, stringList, textOfBlocks, toolResultContent, type Json } from "./internal/payload-helpers.js";
import { mapResult } from "./internal/result-mapping.js";

/** Top-level `type`s the parser understands (mapped, answered, or passed through as `raw`). */
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

const KNOWN_TYPES: ReadonlySet<string> = new Set(CLAUDE_KNOWN_EVENT_TYPES);
const TOOL_USE_BLOCKS: ReadonlySet<string> = new Set(["tool_use", "server_tool_use", "mcp_tool_use"]);
const INTERRUPT_MARKER = "[Request interrupted by user";

/**
 * Maps Claude Code's `--output-format stream-json` output (and its stdio control protocol) onto
 * contract events. One parser per run; it keeps the session id, the tool names by call id, the
 * pending approvals and the last API failure.
 */
class ClaudeStreamParser implements ProfileParser {
  private sessionId: string | undefined;
  private runStarted = false;
  private outcomeEmitted = false;
  private model: string | undefined;
  private streamMessageId: string | undefined;
  private lastApiFailure: ClaudeApiFailure | undefined;
  private interruptSeen = false;
  private readonly toolNames = new Map<string, string>();
  private readonly pendingApprovals = new Set<string>();

  constructor(private readonly context: ParserContext) {}

  line(text: string): BackendEvent[] {
    if (text.trim() === "") return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return [
        this.event(
          "error",
          {
            message: "Claude Code printed a line that is not JSON",
            code: "parse_error",
            severity: "warning",
            details: { line: text },
          },
          text,
        ),
      ];
    }
    if (!isRecord(value)) return [this.raw(value)];

    const events: BackendEvent[] = [];
    const sessionId = nonEmptyString(value["session_id"]);
    const announcesRun = value["type"] === "system" && value["subtype"] === "init" && !this.runStarted;
    if (sessionId !== undefined && sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      if (!announcesRun) events.push(this.event("session_updated", { providerSessionId: sessionId }, value));
    }
    events.push(...this.dispatch(value));
    return events;
  }

  stderr(chunk: string): BackendEvent[] {
    return chunk === "" ? [] : [this.event("stderr", { content: chunk }, chunk)];
  }

  exit(info: ExitInfo): BackendEvent[] {
    if (this.outcomeEmitted || info.outcomeSeen) return [];
    this.outcomeEmitted = true;
    const events: BackendEvent[] = [];
    for (const approvalId of this.pendingApprovals) {
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

  private dispatch(line: Json): BackendEvent[] {
    const type = line["type"];
    switch (type) {
      case "system":
        return this.system(line);
      case "assistant":
        return this.assistant(line);
      case "user":
        return this.user(line);
      case "stream_event":
        return this.streamEvent(line);
      case "result":
        return this.result(line);
      case "control_request":
        return this.controlRequest(line);
      case "control_response":
        return this.controlResponse(line);
      case "control_cancel_request":
        return this.controlCancel(line);
      case "rate_limit_event":
        return this.rateLimit(line);
      case "keep_alive":
        return [];
      default:
        if (typeof type === "string" && KNOWN_TYPES.has(type)) return [this.raw(line)];
        return this.unknownType(line, typeof type === "string" ? type : "(missing)");
    }
  }

  private system(line: Json): BackendEvent[] {
    switch (line["subtype"]) {
      case "init": {
        this.model = nonEmptyString(line["model"]) ?? this.model;
        // Claude Code repeats `init` at the start of every turn; the run starts once.
        if (this.runStarted) return [this.raw(line)];
        this.runStarted = true;
        return [
          this.event(
            "run_started",
            compact({
              providerSessionId: this.sessionId,
              cwd: nonEmptyString(line["cwd"]),
              model: this.model,
              cliVersion: nonEmptyString(line["claude_code_version"]),
              tools: stringList(line["tools"]),
              permissionMode: nonEmptyString(line["permissionMode"]),
              mcpServers: Array.isArray(line["mcp_servers"]) ? line["mcp_servers"] : undefined,
              apiKeySource: nonEmptyString(line["apiKeySource"]),
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
    return [this.event("warning", { code: "api_retry", message, details }, line)];
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
        events.push(this.event("tool_use", { toolName, toolCallId, input: block["input"] ?? {}, ...common }, line));
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
        return [
          this.event(
            "assistant_delta",
            compact({
              content: text,
              index: nonNegativeInt(event["index"]),
              messageId: this.streamMessageId,
              parentToolUseId: nonEmptyString(line["parent_tool_use_id"]),
            }),
            line,
          ),
        ];
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
      this.pendingApprovals.add(requestId);
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

  /**
   * An unknown type passes through as raw. `metadata.unknownType` lets the kernel raise its
   * one-time `schema_drift` warning per type, so the parser does not add a second one.
   */
  private unknownType(line: Json, type: string): BackendEvent[] {
    return [
      backendEvent("raw", { stream: "stdout", content: line }, {
        raw: line,
        metadata: { unknownType: type },
        ...(this.sessionId === undefined ? {} : { providerSessionId: this.sessionId }),
      }),
    ];
  }

  private raw(value: unknown): BackendEvent {
    return this.event("raw", { stream: "stdout", content: value }, value);
  }

  private event<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, raw: unknown): BackendEvent {
    return backendEvent(kind, payload, this.sessionId === undefined ? { raw } : { raw, providerSessionId: this.sessionId });
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
  return new ClaudeStreamParser(context);
}
