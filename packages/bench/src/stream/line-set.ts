import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AsmError } from "@asm/contract";

type Json = Record<string, unknown>;

/** What {@link buildLineSet} produced. */
export interface LineSet {
  /** The JSONL text, every line ending in `\n`, the last one a `result`. */
  text: string;
  /** Byte length of `text` (UTF-8). */
  bytes: number;
  /** Number of lines. */
  lines: number;
  /** Lines by top-level shape (`stream_event/text_delta`, `assistant/tool_use`, …). */
  mix: Record<string, number>;
  /** How many `tool_result` lines carry a large (~100 KB) output. */
  largeToolResults: number;
}

/** Options of {@link buildLineSet}. */
export interface LineSetOptions {
  /** Lines to produce (at least 16). */
  lines: number;
  /** Large tool results spread evenly over the stream. Default: one per 40,000 lines, at least 2. */
  largeToolResults?: number;
  /** Characters of a large tool result's output. Default 100,000. */
  largeToolResultChars?: number;
}

function fixtureLines(name: string): Json[] {
  const path = fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Json);
}

function pick(lines: Json[], predicate: (line: Json) => boolean, what: string): Json {
  const found = lines.find(predicate);
  if (found === undefined) throw new AsmError("parse_error", `fixture has no ${what} line`);
  return found;
}

const eventType = (line: Json) => (line["event"] as Json | undefined)?.["type"];
const deltaType = (line: Json) => ((line["event"] as Json | undefined)?.["delta"] as Json | undefined)?.["type"];
const firstBlockType = (line: Json) => (((line["message"] as Json | undefined)?.["content"] as Json[] | undefined)?.[0])?.["type"];

/** The real Claude Code lines the synthetic stream is shaped after (see `__fixtures__/README.md`). */
function templates() {
  const tool = fixtureLines("claude-tool.jsonl");
  const partial = fixtureLines("claude-partial.jsonl");
  return {
    init: pick(tool, (l) => l["type"] === "system" && l["subtype"] === "init", "system/init"),
    assistantText: pick(tool, (l) => l["type"] === "assistant" && firstBlockType(l) === "text", "assistant text"),
    assistantToolUse: pick(tool, (l) => l["type"] === "assistant" && firstBlockType(l) === "tool_use", "assistant tool_use"),
    userToolResult: pick(tool, (l) => l["type"] === "user", "user tool_result"),
    result: pick(tool, (l) => l["type"] === "result", "result"),
    messageStart: pick(partial, (l) => eventType(l) === "message_start", "message_start"),
    blockStart: pick(
      partial,
      (l) => eventType(l) === "content_block_start" && ((l["event"] as Json)["content_block"] as Json)["type"] === "text",
      "content_block_start",
    ),
    textDelta: pick(partial, (l) => deltaType(l) === "text_delta", "text_delta"),
    blockStop: pick(partial, (l) => eventType(l) === "content_block_stop", "content_block_stop"),
    messageDelta: pick(partial, (l) => eventType(l) === "message_delta", "message_delta"),
    messageStop: pick(partial, (l) => eventType(l) === "message_stop", "message_stop"),
  };
}

const WORDS = [
  "the", "test", "fails", "because", "parser", "returns", "null", "when", "input", "is", "empty", "so", "I", "will",
  "update", "function", "and", "add", "a", "case", "for", "it", "then", "run", "suite", "again", "to", "check", "that",
  "everything", "passes", "now", "config", "file", "module", "import", "error", "handling", "stream", "buffer",
];

const CODE_LINE = "export function handle(event: Event): Result { return reduce(state, event); } // line ";

/** A small deterministic generator, so every run of the benchmark sees the same bytes. */
class Sequence {
  private state = 0x9e3779b9;
  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
  words(count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) out.push(WORDS[this.below(WORDS.length)] as string);
    return out.join(" ");
  }
}

function uuid(counter: number): string {
  const hex = counter.toString(16).padStart(12, "0");
  return `6a1d2c3e-4f50-4a6b-8c7d-${hex}`;
}

function codeOutput(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let line = 1; length < chars; line += 1) {
    const text = `${CODE_LINE}${line}`;
    parts.push(text);
    length += text.length + 1;
  }
  return parts.join("\n").slice(0, chars);
}

/**
 * Builds a realistic Claude Code stdout stream of `lines` lines from the shapes of real captures:
 * `system/init`, then turns of `stream_event`s (`message_start`, `content_block_start`, 6–30
 * `text_delta`s, `content_block_stop`), the complete `assistant` text message, an `assistant`
 * `tool_use`, `message_delta`/`message_stop`, and a `user` `tool_result` (0.2–4 KB of output, a few
 * of ~100 KB), and one final `result`. Deterministic: the same options give the same bytes.
 */
export function buildLineSet(options: LineSetOptions): LineSet {
  const total = Math.max(16, Math.floor(options.lines));
  const largeCount = options.largeToolResults ?? Math.max(2, Math.round(total / 40_000));
  const largeChars = options.largeToolResultChars ?? 100_000;
  const t = templates();
  const sessionId = String(t.init["session_id"]);
  const rng = new Sequence();
  const out: string[] = [];
  const mix: Record<string, number> = {};
  let counter = 0;
  const push = (shape: string, line: Json) => {
    counter += 1;
    mix[shape] = (mix[shape] ?? 0) + 1;
    out.push(JSON.stringify(line));
  };

  push("system/init", { ...t.init, session_id: sessionId });
  const body = total - 2;
  // Positions (line counts) after which a large tool result is due.
  const largeAt = Array.from({ length: largeCount }, (_, i) => Math.floor(((i + 0.5) * body) / largeCount));
  let largeDone = 0;
  let turn = 0;
  let toolCall = 0;

  while (out.length < total - 1) {
    turn += 1;
    const messageId = `msg_bench_${turn}`;
    const room = total - 1 - out.length;
    const stream = (event: Json, base: Json, shape: string) =>
      push(shape, { ...base, event, session_id: sessionId, uuid: uuid(counter), api_message_id: messageId });
    const startMessage = t.messageStart["event"] as Json;
    stream({ ...startMessage, message: { ...(startMessage["message"] as Json), id: messageId } }, t.messageStart, "stream_event/message_start");
    if (out.length >= total - 1) break;
    stream(t.blockStart["event"] as Json, t.blockStart, "stream_event/content_block_start");
    const deltas = Math.max(1, Math.min(6 + rng.below(25), room - 9));
    const pieces: string[] = [];
    for (let i = 0; i < deltas && out.length < total - 1; i += 1) {
      const text = `${rng.words(1 + rng.below(8))} `;
      pieces.push(text);
      const delta = t.textDelta["event"] as Json;
      stream({ ...delta, delta: { ...(delta["delta"] as Json), text } }, t.textDelta, "stream_event/text_delta");
    }
    const message = t.assistantText["message"] as Json;
    const base = { parent_tool_use_id: null, session_id: sessionId };
    if (out.length < total - 1) {
      push("assistant/text", { ...t.assistantText, ...base, message: { ...message, id: messageId, content: [{ type: "text", text: pieces.join("") }] }, uuid: uuid(counter) });
    }
    if (out.length < total - 1) stream(t.blockStop["event"] as Json, t.blockStop, "stream_event/content_block_stop");
    toolCall += 1;
    const toolUseId = `toolu_bench_${toolCall}`;
    const command = `${["npm test", "rg", "cat", "ls -la", "git diff"][rng.below(5)]} ${rng.words(2).replace(/ /g, "/")}`;
    if (out.length < total - 1) {
      const toolMessage = t.assistantToolUse["message"] as Json;
      push("assistant/tool_use", {
        ...t.assistantToolUse,
        ...base,
        message: { ...toolMessage, id: messageId, content: [{ type: "tool_use", id: toolUseId, name: "Bash", input: { command, description: rng.words(4) } }] },
        uuid: uuid(counter),
      });
    }
    if (out.length < total - 1) stream(t.messageDelta["event"] as Json, t.messageDelta, "stream_event/message_delta");
    if (out.length < total - 1) stream(t.messageStop["event"] as Json, t.messageStop, "stream_event/message_stop");
    if (out.length < total - 1) {
      const large = largeDone < largeCount && out.length >= (largeAt[largeDone] ?? Number.POSITIVE_INFINITY);
      if (large) largeDone += 1;
      const output = codeOutput(large ? largeChars : 200 + rng.below(3_800));
      const block = { tool_use_id: toolUseId, type: "tool_result", content: output, is_error: false };
      push(large ? "user/tool_result_100kb" : "user/tool_result", {
        ...t.userToolResult,
        ...base,
        message: { role: "user", content: [block] },
        uuid: uuid(counter),
        tool_use_result: { stdout: output, stderr: "", interrupted: false, isImage: false, noOutputExpected: false },
        tool_result_meta: [{ id: toolUseId, permission_decision: { decision: "accept", source: "config", reason_type: "mode" } }],
      });
    }
  }
  push("result", { ...t.result, session_id: sessionId, uuid: uuid(counter) });
  const text = `${out.join("\n")}\n`;
  return { text, bytes: Buffer.byteLength(text, "utf8"), lines: out.length, mix, largeToolResults: largeDone };
}
