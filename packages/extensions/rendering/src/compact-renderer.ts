import type { AsmEvent } from "@asm/contract";
import { painter } from "./ansi.js";
import { formatCost } from "./format-cost.js";
import { contentText, DEFAULT_PREVIEW_CHARS, inline, isRecord, preview } from "./internal/preview.js";
import type { Renderer, RendererOptions, RenderStats } from "./renderer.js";

/** Options of {@link compactRenderer}. */
export interface CompactRendererOptions extends RendererOptions {
  /**
   * Longest preview of complete assistant messages (`msg`), in characters. Defaults to
   * `previewChars`; pass `Infinity` to print whole answers (the `asm` command does).
   */
  messageChars?: number;
}

const STOP_REASONS: Record<string, string> = {
  end_turn: "end",
  tool_use: "tool",
  max_tokens: "max",
  stop_sequence: "stop",
};

/**
 * One short line per event, with streamed text written as it arrives. Tokens:
 *
 * | token | event |
 * |---|---|
 * | `r+ <provider> [model] [lane]` | `run_started` |
 * | `sid <id>` | `session_updated` |
 * | `>> ` then the raw text | `assistant_delta` (consecutive deltas continue the line) |
 * | `msg <text>` | `assistant_message` (skipped when its text was already streamed) |
 * | `usr <text>` | `user_message` |
 * | `.. <text>` | `thinking` |
 * | `t+<tool> <input>` | `tool_use` |
 * | `t-<toolCallId> <content>` / `t!<toolCallId> <content>` | `tool_result` (`t!` when `isError`) |
 * | `plan [x] a; [ ] b` | `plan` |
 * | `a? <approvalId> <subject> <details>` | `approval_requested` |
 * | `a= <approvalId> allow\|deny [reason]` | `approval_resolved` |
 * | `$ tk:<in>/<out> <cost>` | `cost_update` (`$?` when the cost is unknown) |
 * | `rl <message> [resets <time>]` | `rate_limited` |
 * | `g! <rule> <action>: <message>` | `guardrail_triggered` |
 * | `w <code>: <message>` | `warning` |
 * | `r-:<reason> tk:<in>/<out> <cost> [turns]` | `result` (end_turn→end, tool_use→tool, max_tokens→max) |
 * | `! <code>: <message>` | `error` (`!<severity>` for non-terminal severities) |
 * | `err <text>` | `stderr` |
 * | `?raw <type>` | `raw` |
 * | `rc:<status> [code]` | `run_completed` |
 * | `?<kind>` | any kind this renderer does not know |
 *
 * The footer is `N events, M tools`. Previews are single-line and cut at `previewChars`.
 *
 * @example
 * ```ts
 * await renderStream(session.stream("Fix the test"), { renderer: compactRenderer({ color: false }) });
 * ```
 */
export function compactRenderer(options: CompactRendererOptions = {}): Renderer {
  const paint = painter(options.color ?? true);
  const max = options.previewChars ?? DEFAULT_PREVIEW_CHARS;
  const messageMax = options.messageChars ?? max;
  const omit = new Set<string>(options.omit ?? []);
  // Whether the previous output was streamed text still open on its line.
  let textOpen = false;
  // Text streamed since the last complete message, so the message does not print it twice.
  let streamedSinceMessage = false;

  const line = (text: string): string => {
    const prefix = textOpen ? "\n" : "";
    textOpen = false;
    return `${prefix}${text}\n`;
  };

  const tokens = (inputTokens: unknown, outputTokens: unknown): string =>
    `tk:${typeof inputTokens === "number" ? inputTokens : "?"}/${typeof outputTokens === "number" ? outputTokens : "?"}`;

  const render = (event: AsmEvent): string => {
    if (omit.has(event.kind)) return "";
    switch (event.kind) {
      case "run_started": {
        const parts = ["r+", event.provider];
        if (event.payload.model) parts.push(event.payload.model);
        const lane = event.metadata.lane;
        if (typeof lane === "string") parts.push(`lane=${lane}`);
        return line(paint("cyan", parts.join(" ")));
      }
      case "session_updated":
        return line(paint("gray", `sid ${event.payload.providerSessionId}`));
      case "assistant_delta": {
        streamedSinceMessage = true;
        if (event.payload.content === "") return "";
        if (textOpen) return event.payload.content;
        textOpen = true;
        return `${paint("green", ">>")} ${event.payload.content}`;
      }
      case "assistant_message": {
        const text = contentText(event.payload.content);
        if (streamedSinceMessage) {
          streamedSinceMessage = false;
          return "";
        }
        if (text.trim() === "") return "";
        return line(`${paint("green", "msg")} ${preview(text, messageMax)}`);
      }
      case "user_message":
        return line(`${paint("blue", "usr")} ${preview(contentText(event.payload.content), max)}`);
      case "thinking":
        return line(paint("dim", `.. ${preview(event.payload.content, max)}`));
      case "tool_use":
        streamedSinceMessage = false;
        return line(`${paint("yellow", `t+${event.payload.toolName}`)} ${preview(event.payload.input, max)}`);
      case "tool_result": {
        const failed = event.payload.isError;
        const token = `${failed ? "t!" : "t-"}${event.payload.toolCallId}`;
        return line(`${paint(failed ? "red" : "yellow", token)} ${preview(event.payload.content, max)}`);
      }
      case "plan": {
        const entries = event.payload.entries.map((entry) => `${entry.status === "completed" ? "[x]" : "[ ]"} ${entry.content}`);
        return line(`${paint("blue", "plan")} ${preview(entries.join("; "), max)}`);
      }
      case "approval_requested": {
        const details = Object.keys(event.payload.details).length === 0 ? "" : ` ${preview(event.payload.details, max)}`;
        return line(paint("magenta", `a? ${event.payload.approvalId} ${event.payload.subject}`) + details);
      }
      case "approval_resolved": {
        const reason = event.payload.reason ? ` (${event.payload.reason})` : "";
        const color = event.payload.decision === "allow" ? "green" : "red";
        return line(paint(color, `a= ${event.payload.approvalId} ${event.payload.decision}${reason}`));
      }
      case "cost_update":
        return line(paint("gray", `$ ${tokens(event.payload.inputTokens, event.payload.outputTokens)} ${formatCost(event.payload.costUsd)}`));
      case "rate_limited": {
        const resets = event.payload.resetsAt ? ` resets ${event.payload.resetsAt}` : "";
        return line(paint("yellow", `rl ${preview(event.payload.message, max)}${resets}`));
      }
      case "guardrail_triggered":
        return line(paint("magenta", `g! ${event.payload.rule} ${event.payload.action}: ${preview(event.payload.message, max)}`));
      case "warning":
        return line(paint("yellow", `w ${event.payload.code}: ${preview(event.payload.message, max)}`));
      case "result": {
        streamedSinceMessage = false;
        const reason = event.payload.stopReason ? (STOP_REASONS[event.payload.stopReason] ?? event.payload.stopReason) : "done";
        const usage = event.payload.usage;
        const parts = [`r-:${reason}`];
        if (usage) parts.push(tokens(usage.inputTokens, usage.outputTokens));
        if (event.payload.costUsd !== undefined) parts.push(formatCost(event.payload.costUsd));
        if (event.payload.numTurns !== undefined) parts.push(`turns:${event.payload.numTurns}`);
        return line(paint("green", parts.join(" ")));
      }
      case "error": {
        const severity = event.payload.severity;
        const token = severity === "error" || severity === "fatal" ? "!" : `!${severity}`;
        return line(paint("red", `${token} ${event.payload.code}: ${preview(event.payload.message, max)}`));
      }
      case "stderr": {
        const text = preview(event.payload.content, max);
        return text === "" ? "" : line(paint("dim", `err ${text}`));
      }
      case "raw":
        return line(paint("gray", `?raw ${rawType(event.payload.content)}`));
      case "run_completed": {
        const code = event.payload.error ? ` ${event.payload.error.code}` : "";
        const color = event.payload.status === "completed" ? "cyan" : "red";
        return line(paint(color, `rc:${event.payload.status}${code}`));
      }
      default:
        return line(paint("gray", `?${(event as { kind: string }).kind}`));
    }
  };

  return {
    name: "compact",
    render,
    finish(stats: RenderStats): string {
      const close = textOpen ? "\n" : "";
      textOpen = false;
      if (options.footer === false) return close;
      return `${close}${paint("dim", `${stats.eventCount} events, ${stats.toolCount} tools`)}\n`;
    },
    abort(): string {
      const close = textOpen ? "\n" : "";
      textOpen = false;
      return close;
    },
  };
}

function rawType(content: unknown): string {
  if (isRecord(content)) {
    const type = typeof content.type === "string" ? content.type : "object";
    return typeof content.subtype === "string" ? `${type}/${content.subtype}` : type;
  }
  return preview(inline(content), 40) || "(empty)";
}
