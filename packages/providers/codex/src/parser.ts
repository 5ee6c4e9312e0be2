import {
  ASM_ERROR_CODES,
  backendEvent,
  type AsmErrorCode,
  type BackendEvent,
  type EventKind,
  type ExitInfo,
  type ParserContext,
  type PayloadInputOf,
  type ProfileParser,
} from "@asm/contract";
import {
  classifyCodexFailure,
  failureHint,
  isStderrNoise,
  lastStderrMessage,
  parseReconnect,
} from "./internal/classify.js";
import { itemExitCode, planEntries, toolMapping, type CodexItem } from "./internal/items.js";
import { findCodexModel } from "./models.js";

type Json = Record<string, unknown>;

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

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function errorPayload(code: AsmErrorCode, message: string, extra: Json = {}) {
  const entry = ASM_ERROR_CODES[code];
  return { message, code, severity: "error" as const, domain: entry.domain, retryable: entry.retryable, ...extra };
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
  const openTools = new Map<string, string>();
  const drift = new Set<string>();

  function make<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, raw: unknown): BackendEvent {
    return backendEvent(kind, payload, { ...(threadId === undefined ? {} : { providerSessionId: threadId }), raw });
  }

  function schemaDrift(key: string, message: string, raw: unknown, details: Json): BackendEvent[] {
    const events: BackendEvent[] = [make("raw", { stream: "stdout", content: raw }, raw)];
    if (!drift.has(key)) {
      drift.add(key);
      events.push(make("warning", { code: "schema_drift", message, details }, raw));
    }
    return events;
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
    return [make("tool_use", { toolName, toolCallId: id, input: mapping.input(item), itemType: type }, raw)];
  }

  function onItem(phase: "started" | "updated" | "completed", item: CodexItem, raw: Json): BackendEvent[] {
    const type = typeof item.type === "string" ? item.type : "";
    const id = typeof item.id === "string" ? item.id : String(item.id ?? "");
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
    const usage = isObject(raw.usage) ? raw.usage : {};
    const input = count(usage.input_tokens);
    const cached = Math.min(count(usage.cached_input_tokens), input);
    const written = Math.min(count(usage.cache_write_input_tokens), input - cached);
    const output = count(usage.output_tokens);
    // Codex's input_tokens includes cached and cache-write tokens (OpenAI semantics); ASM's
    // inputTokens counts only the uncached rest, as the Anthropic-shaped usage does.
    const uncached = input - cached - written;
    const pricing = options.local === true ? undefined : findCodexModel(options.model)?.pricing;
    const costUsd =
      pricing === undefined
        ? null
        : uncached * pricing.inputPerToken +
          cached * (pricing.cacheReadPerToken ?? pricing.inputPerToken) +
          written * (pricing.cacheWritePerToken ?? pricing.inputPerToken) +
          output * pricing.outputPerToken;
    return {
      usage: { inputTokens: uncached, outputTokens: output, cacheReadInputTokens: cached, cacheCreationInputTokens: written },
      totalTokens: input + output,
      reasoningOutputTokens: count(usage.reasoning_output_tokens),
      costUsd,
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
    events.push(make("result", { status: "success", text, usage, costUsd, ...structured }, raw));
    return events;
  }

  function onTurnFailed(raw: Json): BackendEvent[] {
    if (outcome) return [];
    outcome = true;
    const error = isObject(raw.error) ? raw.error : {};
    const message = typeof error.message === "string" && error.message !== "" ? error.message : lastError ?? "Codex turn failed";
    const code = classifyCodexFailure(message, "unknown");
    const events: BackendEvent[] = [];
    if (code === "rate_limit" || code === "quota_exhausted") events.push(make("rate_limited", { message }, raw));
    events.push(make("error", errorPayload(code, message, { details: { nativeType: "turn.failed" } }), raw));
    return events;
  }

  function onError(raw: Json): BackendEvent[] {
    const message = typeof raw.message === "string" ? raw.message : typeof raw.error === "string" ? raw.error : "Codex reported an error";
    const reconnect = parseReconnect(message);
    if (reconnect !== undefined) return [make("warning", { code: "reconnecting", message, details: reconnect }, raw)];
    lastError = message;
    return [make("warning", { code: "provider_error", message, details: { classifiedAs: classifyCodexFailure(message, "unknown") } }, raw)];
  }

  function onLine(raw: Json): BackendEvent[] {
    const type = typeof raw.type === "string" ? raw.type : undefined;
    switch (type) {
      case "thread.started": {
        const id = typeof raw.thread_id === "string" && raw.thread_id !== "" ? raw.thread_id : undefined;
        if (id === undefined) return [];
        threadId = id;
        return [make("session_updated", { providerSessionId: id }, raw)];
      }
      case "turn.started":
        return [];
      case "item.started":
      case "item.updated":
      case "item.completed":
        if (!isObject(raw.item)) return schemaDrift(`${type}:no-item`, `Codex ${type} without an item`, raw, { type });
        return onItem(type.slice("item.".length) as "started" | "updated" | "completed", raw.item, raw);
      case "turn.completed":
        return onTurnCompleted(raw);
      case "turn.failed":
        return onTurnFailed(raw);
      case "error":
        return onError(raw);
      default:
        return schemaDrift(`type:${type ?? "<none>"}`, `unknown Codex event type "${type ?? "<none>"}"`, raw, { type: type ?? null });
    }
  }

  return {
    line(text) {
      if (text.trim() === "") return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (_error) {
        return [
          make("error", { message: "Codex printed a line that is not JSON", code: "parse_error", severity: "warning", details: { line: text } }, text),
        ];
      }
      if (!isObject(parsed)) return schemaDrift("non-object", "Codex printed JSON that is not an object", parsed, {});
      return onLine(parsed);
    },
    stderr(chunk) {
      const kept = chunk
        .split(/(?<=\n)/)
        .filter((line) => !isStderrNoise(line))
        .join("");
      return kept.trim() === "" ? [] : [make("stderr", { content: kept }, chunk)];
    },
    exit(info: ExitInfo) {
      if (outcome || info.outcomeSeen) return [];
      outcome = true;
      const stderrMessage = lastStderrMessage(info.stderrTail);
      const evidence = [lastError, info.stderrTail].filter((part) => part !== undefined && part !== "").join("\n");
      let code: AsmErrorCode;
      let message: string;
      if (info.exitCode === 127 && /not found|no such file/i.test(info.stderrTail)) {
        code = "cli_not_found";
        message = `the codex CLI could not be started: ${stderrMessage ?? "command not found"}`;
      } else {
        code = classifyCodexFailure(evidence, "transport_exit");
        const how =
          info.signal !== null
            ? `codex was terminated by signal ${info.signal}`
            : info.exitCode === 0
              ? "codex exited without finishing its turn"
              : `codex exited with code ${String(info.exitCode)}`;
        const reason = lastError ?? stderrMessage;
        message = reason === undefined ? how : `${how}: ${reason}`;
        const hint = failureHint(evidence);
        if (hint !== undefined) message = `${message} (${hint})`;
      }
      return [
        make(
          "error",
          errorPayload(code, message, {
            exitCode: info.exitCode,
            ...(info.stderrTail === "" ? {} : { stderrTail: info.stderrTail }),
            details: { signal: info.signal },
          }),
          info,
        ),
      ];
    },
  };
}
