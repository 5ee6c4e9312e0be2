import { toolKindOf, type BackendEvent, type ExitInfo, type ParserContext, type ProfileParser } from "@asm/contract";
import {
  BoundedMap,
  createJsonLineParser,
  createParserEvents,
  DEFAULT_PARSER_STATE_CAPACITY,
  isRecord,
  nonEmptyString,
  terminalErrorPayload,
} from "@asm/provider-utils";
import { readDeltaLine } from "./delta-line.js";
import { classifyExit, classifyReportedError, summarizeStderr } from "./exit-classification.js";
import { readUsage } from "./usage.js";

type NativeEvent = Record<string, unknown> & { type?: unknown };

/**
 * A parser for one run of `gemini --output-format stream-json` (0.61):
 *
 * | native line | events |
 * | --- | --- |
 * | `init` | `session_updated` (`providerSessionId`, `model`) |
 * | `message` user | nothing: the prompt's echo is dropped, as every provider does |
 * | `message` assistant, `delta: true` | `assistant_delta` |
 * | `message` assistant, no delta | `assistant_message` |
 * | `tool_use` | `tool_use` (`tool_name`, `tool_id`, `parameters`) |
 * | `tool_result` | `tool_result` (`status: "error"` → `isError`) |
 * | `error` | `error` with severity `warning` (the run goes on; its message feeds a later failure) |
 * | `result` success | `cost_update`, then `result` (text = the answer after the last tool call) |
 * | `result` error | `cost_update`, then a terminal `error`, classified |
 *
 * When the process ends without a `result` line, `exit` synthesizes a classified terminal `error`
 * from the exit code and stderr (see the package README for the codes). Any other type is passed
 * through as `raw` with `metadata.unknownType`.
 *
 * @example
 * ```ts
 * const parser = createGeminiParser({ provider: "gemini", reply() {} });
 * parser.line('{"type":"init","session_id":"s1","model":"gemini-2.5-flash"}'); // [session_updated]
 * ```
 */
export function createGeminiParser(_context: ParserContext): ProfileParser {
  let providerSessionId: string | undefined;
  let model: string | undefined;
  let outcomeSeen = false;
  let answer = "";
  let lastReportedError: string | undefined;
  const toolNames = new BoundedMap<string, string>(DEFAULT_PARSER_STATE_CAPACITY);
  const events = createParserEvents({ sessionId: () => providerSessionId });

  function event<K extends BackendEvent["kind"]>(kind: K, payload: Extract<BackendEvent, { kind: K }>["payload"], raw?: unknown): BackendEvent {
    return events.event(kind, payload as never, raw);
  }

  function drift(key: string, message: string, raw: unknown, details: Record<string, unknown>): BackendEvent[] {
    return events.drift(key, message, raw, details);
  }

  function onInit(native: NativeEvent): BackendEvent[] {
    const id = nonEmptyString(native.session_id);
    if (id !== undefined) providerSessionId = id;
    const initModel = nonEmptyString(native.model);
    if (initModel !== undefined) model = initModel;
    // The kernel emits the run's one `run_started` (decision 0002); the init line announces the
    // provider session, live and under `asm parse` alike.
    if (providerSessionId === undefined) return [events.raw(native)];
    return [event("session_updated", { providerSessionId, ...(model === undefined ? {} : { model }) }, native)];
  }

  function onMessage(native: NativeEvent): BackendEvent[] {
    const content = native.content;
    // Gemini echoes the prompt it was given; no other CLI does, and the caller knows its prompt,
    // so the echo is not an event (`user_message` is what the provider adds: interruption notices,
    // tool-result turns).
    if (native.role === "user" && typeof content === "string") return [];
    if (native.role === "assistant" && typeof content === "string") {
      answer += content;
      if (native.delta === true) return [event("assistant_delta", { content, format: "text" }, native)];
      return [
        event(
          "assistant_message",
          { content: [{ type: "text", text: content }], role: "assistant", ...(model === undefined ? {} : { model }) },
          native,
        ),
      ];
    }
    return drift("message:shape", "Gemini `message` line with an unexpected role or content", native, { type: "message", role: native.role });
  }

  function onToolUse(native: NativeEvent): BackendEvent[] {
    const toolName = nonEmptyString(native.tool_name) ?? nonEmptyString(native.name);
    const toolCallId = nonEmptyString(native.tool_id) ?? nonEmptyString(native.id);
    if (toolName === undefined || toolCallId === undefined) {
      return drift("tool_use:shape", "Gemini `tool_use` line without tool_name/tool_id", native, { type: "tool_use" });
    }
    toolNames.set(toolCallId, toolName);
    answer = "";
    const input = native.parameters ?? native.input ?? {};
    return [event("tool_use", { toolName, toolKind: toolKindOf(toolName), toolCallId, input }, native)];
  }

  function onToolResult(native: NativeEvent): BackendEvent[] {
    const toolCallId = nonEmptyString(native.tool_id) ?? nonEmptyString(native.id);
    if (toolCallId === undefined) return drift("tool_result:shape", "Gemini `tool_result` line without tool_id", native, { type: "tool_result" });
    answer = "";
    const toolName = toolNames.get(toolCallId);
    const isError = native.status === "error" || native.is_error === true;
    return [
      event(
        "tool_result",
        {
          toolCallId,
          ...(toolName === undefined ? {} : { toolName }),
          content: native.output ?? native.content ?? null,
          isError,
          ...(isRecord(native.error) ? { error: native.error } : {}),
        },
        native,
      ),
    ];
  }

  function onError(native: NativeEvent): BackendEvent[] {
    const message = nonEmptyString(native.message) ?? "Gemini CLI reported an error";
    const nativeSeverity = typeof native.severity === "string" ? native.severity : "error";
    if (nativeSeverity === "error") lastReportedError = message;
    const failure = classifyReportedError(message, undefined);
    // The CLI goes on after an `error` line and settles the run with a `result` line, so this
    // is never the outcome itself.
    return [
      event(
        "error",
        { message, code: failure.code, severity: "warning", details: { ...failure.details, nativeSeverity } },
        native,
      ),
    ];
  }

  function onResult(native: NativeEvent): BackendEvent[] {
    if (outcomeSeen) return drift("result:repeated", "Gemini printed a second `result` line", native, { type: "result" });
    outcomeSeen = true;
    const usage = readUsage(native.stats, model);
    const events: BackendEvent[] = [];
    if (usage !== undefined) {
      events.push(
        event(
          "cost_update",
          {
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            totalTokens: usage.totalTokens,
            cacheReadInputTokens: usage.cacheReadInputTokens,
            costUsd: usage.costUsd,
            mode: "cumulative",
            ...(usage.thoughtsTokens > 0 ? { thoughtsTokens: usage.thoughtsTokens } : {}),
          },
          native,
        ),
      );
    }
    if (native.status === "success") {
      events.push(
        event(
          "result",
          {
            status: "success",
            text: answer,
            // Gemini reports no reason: a successful result is a finished turn.
            stopReason: "end_turn",
            ...(usage === undefined
              ? {}
              : {
                  usage: {
                    inputTokens: usage.inputTokens,
                    outputTokens: usage.outputTokens,
                    cacheReadInputTokens: usage.cacheReadInputTokens,
                    cacheCreationInputTokens: 0,
                  },
                  costUsd: usage.costUsd,
                  ...(usage.durationMs === undefined ? {} : { durationMs: usage.durationMs }),
                  ...(usage.toolCalls === undefined ? {} : { toolCalls: usage.toolCalls }),
                }),
          },
          native,
        ),
      );
      return events;
    }
    const nativeError = isRecord(native.error) ? native.error : undefined;
    const message =
      nonEmptyString(nativeError?.message) ?? lastReportedError ?? `Gemini run ended with status ${JSON.stringify(native.status ?? null)}`;
    const failure = classifyReportedError(message, nonEmptyString(nativeError?.type));
    events.push(
      event(
        "error",
        {
          message,
          code: failure.code,
          severity: "error",
          details: { ...failure.details, status: native.status ?? null },
        },
        native,
      ),
    );
    return events;
  }

  // An assistant delta line read from its text (see delta-line.ts): what `onMessage` makes of it.
  function fastLine(text: string): BackendEvent[] | undefined {
    const delta = readDeltaLine(text);
    if (delta === undefined) return undefined;
    answer += delta.content;
    return [event("assistant_delta", { content: delta.content, format: "text" }, delta.line)];
  }

  return createJsonLineParser({
    cliName: "Gemini CLI",
    events,
    fastLine,
    handlers: { init: onInit, message: onMessage, tool_use: onToolUse, tool_result: onToolResult, error: onError, result: onResult },
    stderr(chunk) {
      if (chunk === "") return [];
      return [event("stderr", { content: chunk })];
    },
    exit(info: ExitInfo) {
      if (outcomeSeen || info.outcomeSeen) return [];
      outcomeSeen = true;
      const failure = classifyExit({
        exitCode: info.exitCode,
        signal: info.signal,
        stderrTail: info.stderrTail,
        ...(lastReportedError === undefined ? {} : { lastReportedError }),
      });
      const stderrTail = info.stderrTail;
      return [
        event(
          "error",
          terminalErrorPayload(failure.code, failure.message, {
            exitCode: info.exitCode,
            ...(stderrTail === "" ? {} : { stderrTail }),
            details: { ...failure.details, ...(stderrTail === "" ? {} : { stderrSummary: summarizeStderr(stderrTail) }) },
          }),
        ),
      ];
    },
  });
}
