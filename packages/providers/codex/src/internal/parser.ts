import type { AsmErrorCode, BackendEvent, EventKind, ExitInfo, ParserContext, PayloadInputOf, ProfileParser } from "@asm/contract";
import {
  BoundedMap,
  classifyCommonExit,
  costOf,
  createJsonLineParser,
  createParserEvents,
  DEFAULT_PARSER_STATE_CAPACITY,
  describeExit,
  isRecord,
  stringOf,
  terminalErrorPayload,
  tokenCount,
  type JsonObject as Json,
} from "@asm/provider-utils";
import { codexDiscovery } from "./discovery.js";
import { classifyCodexFailure, failureHint, isStderrNoise, lastStderrMessage, parseReconnect } from "./exit-classification.js";
import { itemExitCode, planEntries, toolMapping, type CodexItem } from "./items.js";
import { findCodexModel } from "./models.js";

/** What a Codex parser needs to know about its run (read from `ParserContext.input` by default). */
export interface CodexParserOptions {
  /** Whether an output schema was requested: the final message is then decoded as JSON. */
  outputSchema?: boolean;
  /** The model in use, to price usage from the catalog; unknown models leave the cost null. */
  model?: string;
  /** Set for the OSS route: local models have no price. */
  local?: boolean;
}

// The options are the kernel's normalized ones: the Ollama surface has already set the backend
// and the model.
function parserOptionsFrom(context: ParserContext): CodexParserOptions {
  const options: Record<string, unknown> = context.input?.options ?? {};
  return {
    outputSchema: options.outputSchema !== undefined && options.outputSchema !== null,
    ...(typeof options.model === "string" ? { model: options.model } : {}),
    local: options.providerBackend === "oss",
  };
}


/**
 * A parser for one `codex exec --json` run.
 *
 * - `thread.started` → `session_updated` (the thread id is the provider session id, stamped on
 *   every later event).
 * - `item.completed` of `agent_message` → `assistant_message`; of `reasoning` → `thinking`.
 * - Tool items (`command_execution` → `Bash`, `file_change` → `Edit`, `mcp_tool_call` →
 *   `<server>.<tool>`, `web_search` → `WebSearch`, `todo_list` → `TodoWrite`): `tool_use` when
 *   the item starts, `tool_result` when it completes, paired by item id (`isError` from the
 *   status and exit code); a `todo_list` also gives `plan` events.
 * - `turn.completed` → `cost_update` with `mode: "cumulative"` (Codex reports running totals for
 *   the thread), then the `result` with the last agent message as text and, when an output schema
 *   was requested, its JSON-decoded `structuredOutput`.
 * - `turn.failed` → the terminal `error`, classified (auth, rate limit, quota, transport…).
 * - A top-level `error` is a `warning`: "Reconnecting… n/m" notices are followed either by
 *   success or by `turn.failed`, which carries the outcome.
 * - An `error` item (Codex's notices, such as unknown model metadata) → `warning`.
 *
 * @example
 * ```ts
 * const parser = createCodexParser({ provider: "codex", reply: () => {} });
 * for (const line of stdout.split("\n")) events.push(...parser.line(line));
 * events.push(...parser.exit({ exitCode: 0, signal: null, stderrTail: "", outcomeSeen: false }));
 * ```
 */
export function createCodexParser(context: ParserContext, overrides: CodexParserOptions = {}): ProfileParser {
  const options = { ...parserOptionsFrom(context), ...overrides };
  let threadId: string | undefined;
  let outcome = false;
  let lastAgentText: string | undefined;
  let lastError: string | undefined;
  let lastPlan: string | undefined;
  const openTools = new BoundedMap<string, string>(DEFAULT_PARSER_STATE_CAPACITY);
  const events = createParserEvents({ sessionId: () => threadId });

  function make<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, raw: unknown): BackendEvent {
    return events.event(kind, payload, raw);
  }

  function schemaDrift(key: string, message: string, raw: unknown, details: Json): BackendEvent[] {
    return events.drift(key, message, raw, details);
  }

  function plan(item: CodexItem, raw: unknown): BackendEvent[] {
    const entries = planEntries(item);
    const key = JSON.stringify(entries);
    if (key === lastPlan) return [];
    lastPlan = key;
    return [make("plan", { entries }, raw)];
  }

  function toolUse(id: string, type: string, item: CodexItem, raw: unknown): BackendEvent[] {
    const mapping = toolMapping(type);
    if (mapping === undefined) return [];
    const toolName = mapping.name(item);
    openTools.set(id, toolName);
    return [make("tool_use", { toolName, toolKind: mapping.kind, toolCallId: id, input: mapping.input(item), itemType: type }, raw)];
  }

  function onItem(phase: "started" | "updated" | "completed", item: CodexItem, raw: Json): BackendEvent[] {
    const type = typeof item.type === "string" ? item.type : "";
    const id = stringOf(item.id);
    if (type === "agent_message") {
      if (phase !== "completed") return [];
      const text = typeof item.text === "string" ? item.text : "";
      lastAgentText = text;
      return [make("assistant_message", { content: [{ type: "text", text }] }, raw)];
    }
    if (type === "reasoning") {
      if (phase !== "completed") return [];
      return [make("thinking", { content: typeof item.text === "string" ? item.text : "" }, raw)];
    }
    if (type === "error") {
      if (phase !== "completed") return [];
      const message = typeof item.message === "string" ? item.message : "Codex reported an error item";
      return [make("warning", { code: "provider_warning", message, details: { itemId: id } }, raw)];
    }
    const mapping = toolMapping(type);
    if (mapping === undefined) {
      return schemaDrift(`item:${type}`, `unknown Codex item type "${type}"`, raw, { type: `item.${phase}`, itemType: type });
    }
    const events: BackendEvent[] = [];
    if (phase === "started" || (phase === "completed" && !openTools.has(id))) events.push(...toolUse(id, type, item, raw));
    if (type === "todo_list") events.push(...plan(item, raw));
    if (phase === "completed") {
      const toolName = openTools.get(id) ?? mapping.name(item);
      openTools.delete(id);
      const exitCode = itemExitCode(item);
      events.push(
        make(
          "tool_result",
          {
            toolCallId: id,
            toolName,
            content: mapping.content(item),
            isError: mapping.isError(item),
            itemType: type,
            ...(typeof item.status === "string" ? { status: item.status } : {}),
            ...(exitCode === undefined ? {} : { exitCode }),
          },
          raw,
        ),
      );
    }
    return events;
  }

  function usageOf(raw: Json) {
    const native = isRecord(raw.usage) ? raw.usage : {};
    const input = tokenCount(native.input_tokens);
    const cached = Math.min(tokenCount(native.cached_input_tokens), input);
    const written = Math.min(tokenCount(native.cache_write_input_tokens), input - cached);
    const output = tokenCount(native.output_tokens);
    // Codex's input_tokens includes cached and cache-write tokens (OpenAI semantics); ASM's
    // inputTokens counts only the uncached rest, as the Anthropic-shaped usage does.
    const uncached = input - cached - written;
    const pricing = options.local === true ? undefined : findCodexModel(options.model)?.pricing;
    const usage = { inputTokens: uncached, outputTokens: output, cacheReadInputTokens: cached, cacheCreationInputTokens: written };
    const cost = pricing === undefined ? null : costOf(pricing, usage);
    return {
      usage,
      totalTokens: tokenCount(input + output),
      reasoningOutputTokens: tokenCount(native.reasoning_output_tokens),
      costUsd: cost !== null && Number.isFinite(cost) ? cost : null,
    };
  }

  function onTurnCompleted(raw: Json): BackendEvent[] {
    const { usage, totalTokens, reasoningOutputTokens, costUsd } = usageOf(raw);
    const events: BackendEvent[] = [
      make("cost_update", { ...usage, totalTokens, reasoningOutputTokens, costUsd, mode: "cumulative" }, raw),
    ];
    if (outcome) return events;
    outcome = true;
    const text = lastAgentText ?? "";
    let structured: { structuredOutput?: unknown } = {};
    if (options.outputSchema === true) {
      try {
        structured = { structuredOutput: JSON.parse(text) as unknown };
      } catch (_error) {
        events.push(
          make(
            "warning",
            { code: "structured_output_invalid", message: "an output schema was requested but the final message is not JSON", details: { text } },
            raw,
          ),
        );
      }
    }
    // Codex reports no reason: a completed turn is a finished one.
    events.push(make("result", { status: "success", text, stopReason: "end_turn", usage, costUsd, ...structured }, raw));
    return events;
  }

  function onTurnFailed(raw: Json): BackendEvent[] {
    if (outcome) return [];
    outcome = true;
    const error = isRecord(raw.error) ? raw.error : {};
    const message = typeof error.message === "string" && error.message !== "" ? error.message : lastError ?? "Codex turn failed";
    const code = classifyCodexFailure(message, "unknown");
    const events: BackendEvent[] = [];
    if (code === "rate_limit" || code === "quota_exhausted") events.push(make("rate_limited", { message }, raw));
    events.push(make("error", terminalErrorPayload(code, message, { details: { nativeType: "turn.failed" } }), raw));
    return events;
  }

  function onError(raw: Json): BackendEvent[] {
    const message = typeof raw.message === "string" ? raw.message : typeof raw.error === "string" ? raw.error : "Codex reported an error";
    const reconnect = parseReconnect(message);
    if (reconnect !== undefined) return [make("warning", { code: "reconnecting", message, details: reconnect }, raw)];
    lastError = message;
    return [make("warning", { code: "provider_error", message, details: { classifiedAs: classifyCodexFailure(message, "unknown") } }, raw)];
  }

  function onThreadStarted(raw: Json): BackendEvent[] {
    const id = typeof raw.thread_id === "string" && raw.thread_id !== "" ? raw.thread_id : undefined;
    if (id === undefined) return [];
    threadId = id;
    return [make("session_updated", { providerSessionId: id }, raw)];
  }

  function onItemLine(raw: Json, type: string): BackendEvent[] {
    if (!isRecord(raw.item)) return schemaDrift(`${type}:no-item`, `Codex ${type} without an item`, raw, { type });
    return onItem(type.slice("item.".length) as "started" | "updated" | "completed", raw.item, raw);
  }

  function onExit(info: ExitInfo): BackendEvent[] {
    if (outcome || info.outcomeSeen) return [];
    outcome = true;
    const stderrMessage = lastStderrMessage(info.stderrTail);
    const evidence = [lastError, info.stderrTail].filter((part) => part !== undefined && part !== "").join("\n");
    let code: AsmErrorCode;
    let message: string;
    const common = classifyCommonExit(info, { cliName: "Codex", commandNames: codexDiscovery.binaryNames, installHint: codexDiscovery.installHint });
    if (common !== undefined) {
      code = common.code;
      message = common.message;
    } else {
      code = classifyCodexFailure(evidence, "transport_exit");
      const how = info.signal === null && info.exitCode === 0 ? "codex exited without finishing its turn" : `codex ${describeExit(info)}`;
      const reason = lastError ?? stderrMessage;
      message = reason === undefined ? how : `${how}: ${reason}`;
      const hint = failureHint(evidence);
      if (hint !== undefined) message = `${message} (${hint})`;
    }
    return [
      make(
        "error",
        terminalErrorPayload(code, message, {
          exitCode: info.exitCode,
          ...(info.stderrTail === "" ? {} : { stderrTail: info.stderrTail }),
          details: { signal: info.signal },
        }),
        info,
      ),
    ];
  }

  return createJsonLineParser({
    cliName: "Codex",
    events,
    handlers: {
      "thread.started": onThreadStarted,
      "turn.started": () => [],
      "item.started": onItemLine,
      "item.updated": onItemLine,
      "item.completed": onItemLine,
      "turn.completed": onTurnCompleted,
      "turn.failed": onTurnFailed,
      error: onError,
    },
    stderr(chunk) {
      const kept = chunk
        .split(/(?<=\n)/)
        .filter((line) => !isStderrNoise(line))
        .join("");
      return kept.trim() === "" ? [] : [make("stderr", { content: kept }, chunk)];
    },
    exit: onExit,
  });
}
