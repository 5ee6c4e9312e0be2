import { isOutcomeEvent, type BackendEvent, type ExitInfo } from "@asm/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exitInfoOf, type Transcript } from "@asm/testkit";
import { expectValidPayloads } from "@asm/testkit/assertions";
import { claudeTranscript, claudeTranscriptNames } from "../__fixtures__/replay.js";
import { CLAUDE_KNOWN_EVENT_TYPES, createClaudeParser } from "./parser.js";

const TRANSCRIPTS: Transcript[] = [
  ...claudeTranscriptNames("transcripts").map((name) => claudeTranscript("transcripts", name)),
  ...claudeTranscriptNames("recorded").map((name) => claudeTranscript("recorded", name)),
];
const REAL_LINES = TRANSCRIPTS.flatMap((transcript) => transcript.lines);

function newParser() {
  return createClaudeParser({ provider: "claude", reply: () => {} });
}

/** Splits a byte stream into lines the way a reader does: on "\n", keeping a partial tail. */
function lineSplitter() {
  let pending = "";
  return {
    push(chunk: string): string[] {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      return lines;
    },
    end(): string[] {
      const rest = pending;
      pending = "";
      return rest === "" ? [] : [rest];
    },
  };
}

function baseline(transcript: Transcript): BackendEvent[] {
  const parser = newParser();
  return [...transcript.lines.flatMap((line) => parser.line(line)), ...parser.exit(exitInfoOf(transcript))];
}

// A step of a replay: a chunk of stdout (cut anywhere), or a chunk of stderr in between.
const replayArbitrary = fc
  .integer({ min: 0, max: TRANSCRIPTS.length - 1 })
  .chain((index) => {
    const transcript = TRANSCRIPTS[index] as Transcript;
    const stdout = transcript.lines.map((line) => `${line}\n`).join("");
    return fc.record({
      transcript: fc.constant(transcript),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, stdout.length - 1) }), { maxLength: 40 }),
      stderr: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.string({ minLength: 1, maxLength: 20 })), { maxLength: 6 }),
      stdout: fc.constant(stdout),
    });
  });

const anyJson = fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: false });
const blockArbitrary = fc.oneof(
  anyJson,
  fc.record(
    {
      type: fc.constantFrom("text", "thinking", "redacted_thinking", "tool_use", "server_tool_use", "tool_result", "image", "weird"),
      text: fc.oneof(fc.string(), anyJson),
      thinking: fc.oneof(fc.string(), anyJson),
      signature: anyJson,
      id: fc.oneof(fc.string(), anyJson),
      name: fc.oneof(fc.string(), anyJson),
      input: anyJson,
      tool_use_id: fc.oneof(fc.string(), anyJson),
      content: anyJson,
      is_error: anyJson,
    },
    { requiredKeys: ["type"] },
  ),
);
// Lines shaped like Claude Code's, with every field allowed to be wrong.
const eventLikeArbitrary = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...CLAUDE_KNOWN_EVENT_TYPES), fc.string(), anyJson),
    subtype: fc.oneof(
      fc.constantFrom("init", "api_retry", "permission_denied", "status", "success", "error_during_execution", "error_max_turns", "can_use_tool", "hook_callback", "mcp_message", "elicitation", "error"),
      anyJson,
    ),
    session_id: fc.oneof(fc.constantFrom("s-1", "s-2", ""), anyJson),
    message: fc.oneof(
      anyJson,
      fc.record({ id: anyJson, model: fc.oneof(fc.string(), anyJson), content: fc.oneof(fc.string(), fc.array(blockArbitrary, { maxLength: 4 }), anyJson) }, { requiredKeys: [] }),
    ),
    request: fc.oneof(anyJson, fc.record({ subtype: fc.oneof(fc.constantFrom("can_use_tool", "hook_callback", "mcp_message", "elicitation", "interrupt"), anyJson), tool_name: anyJson, input: anyJson, tool_use_id: anyJson, message: anyJson }, { requiredKeys: [] })),
    request_id: fc.oneof(fc.string(), anyJson),
    response: anyJson,
    event: fc.oneof(anyJson, fc.record({ type: fc.constantFrom("message_start", "content_block_delta"), index: anyJson, delta: fc.oneof(anyJson, fc.record({ type: fc.constantFrom("text_delta", "thinking_delta"), text: anyJson })), message: anyJson }, { requiredKeys: [] })),
    usage: fc.oneof(anyJson, fc.record({ input_tokens: fc.oneof(fc.double(), anyJson), output_tokens: fc.oneof(fc.double(), anyJson), cache_read_input_tokens: anyJson })),
    total_cost_usd: fc.oneof(fc.double(), anyJson),
    model_usage_since_last_result: anyJson,
    modelUsage: anyJson,
    result: anyJson,
    is_error: anyJson,
    errors: anyJson,
    num_turns: fc.oneof(fc.double(), anyJson),
    duration_ms: fc.oneof(fc.double(), anyJson),
    api_error_status: fc.oneof(fc.integer({ min: 100, max: 599 }), anyJson),
    error_status: fc.oneof(fc.integer({ min: 100, max: 599 }), anyJson),
    is_api_error_message: anyJson,
    rate_limit_info: fc.oneof(anyJson, fc.record({ status: fc.constant("rejected"), resetsAt: fc.oneof(fc.double(), anyJson), rateLimitType: anyJson })),
    tools: anyJson,
    parent_tool_use_id: anyJson,
  },
  { requiredKeys: ["type"] },
);
// A real line with one field replaced by anything.
const mutatedRealLine = fc
  .tuple(fc.constantFrom(...REAL_LINES), fc.nat(), anyJson)
  .map(([line, which, value]) => {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const keys = Object.keys(parsed);
    const key = keys[which % Math.max(1, keys.length)];
    if (key !== undefined) parsed[key] = value;
    return JSON.stringify(parsed);
  });
const lineArbitrary = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.json({ maxDepth: 3 }),
  eventLikeArbitrary.map((value) => JSON.stringify(value) ?? "null"),
  mutatedRealLine,
  fc.constantFrom(...REAL_LINES),
);
const exitArbitrary: fc.Arbitrary<ExitInfo> = fc.record({
  exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
  signal: fc.option(fc.constantFrom("SIGINT", "SIGTERM", "SIGKILL"), { nil: null }),
  stderrTail: fc.oneof(fc.string(), fc.constantFrom("Invalid API key", "--dangerously-skip-permissions cannot be used with root/sudo privileges", "")),
  outcomeSeen: fc.constant(false),
});

// Each property runs hundreds of cases: about a second alone, but far longer on a loaded machine
// (a whole provider suite, several packages at once). The timeout only keeps a slow run from
// failing; what the properties check and how many cases they try stay the same.
const PROPERTY_TIMEOUT_MS = 120_000;

describe("parser properties", () => {
  it("any chunking of stdout, with stderr chunks interleaved, yields the same events as line-by-line", () => {
    fc.assert(
      fc.property(replayArbitrary, ({ transcript, cuts, stderr, stdout }) => {
        const expected = baseline(transcript);
        const parser = newParser();
        const splitter = lineSplitter();
        const positions = [0, ...[...cuts].sort((a, b) => a - b), stdout.length];
        const events: BackendEvent[] = [];
        const stderrWritten: string[] = [];
        for (let index = 0; index + 1 < positions.length; index += 1) {
          for (const line of splitter.push(stdout.slice(positions[index], positions[index + 1]))) events.push(...parser.line(line));
          for (const [at, text] of stderr) {
            if (at === index) {
              stderrWritten.push(text);
              events.push(...parser.stderr(text));
            }
          }
        }
        for (const line of splitter.end()) events.push(...parser.line(line));
        events.push(...parser.exit(exitInfoOf(transcript)));

        expect(events.filter((event) => event.kind !== "stderr")).toEqual(expected);
        const stderrEvents = events.filter((event) => event.kind === "stderr");
        expect(stderrEvents.map((event) => (event.payload as { content: string }).content)).toEqual(stderrWritten);
      }),
      { numRuns: 150 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("arbitrary lines never throw and always produce payloads the contract accepts", () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 25 }), exitArbitrary, (lines, exit) => {
        const parser = newParser();
        const events = [...lines.flatMap((line) => parser.line(line)), ...parser.stderr(exit.stderrTail), ...parser.exit(exit)];
        expectValidPayloads(events);
      }),
      { numRuns: 400 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("after exit() there is always exactly one outcome", () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 25 }), exitArbitrary, (lines, exit) => {
        const parser = newParser();
        const events = lines.flatMap((line) => parser.line(line));
        const seen = events.some(isOutcomeEvent);
        events.push(...parser.exit({ ...exit, outcomeSeen: seen }));
        expect(events.filter(isOutcomeEvent)).toHaveLength(1);
        // A second exit report changes nothing.
        expect(parser.exit(exit).filter(isOutcomeEvent)).toHaveLength(0);
      }),
      { numRuns: 400 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("a truncated transcript (the process died mid-run) still ends with exactly one outcome", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRANSCRIPTS), fc.nat(), exitArbitrary, (transcript, cut, exit) => {
        const parser = newParser();
        const lines = transcript.lines.slice(0, cut % (transcript.lines.length + 1));
        const events = lines.flatMap((line) => parser.line(line));
        events.push(...parser.exit(exit));
        expect(events.filter(isOutcomeEvent)).toHaveLength(1);
        expectValidPayloads(events);
      }),
      { numRuns: 200 },
    );
  }, PROPERTY_TIMEOUT_MS);
});
