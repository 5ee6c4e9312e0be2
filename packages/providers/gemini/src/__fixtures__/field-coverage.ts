import type { FieldCoverage } from "@asm/testkit";

// What `createGeminiParser` does with every event type and field the Gemini CLI prints in the
// recorded transcripts: `mapped` fields feed a contract event, `ignored` ones are left alone on
// purpose. `parser.coverage.test.ts` fails on any recorded field that is in neither list.
// `x.*` covers a subtree whose keys are data (model names, a tool's own parameters) or that is
// handed on whole (a tool's error).

/** The Gemini CLI parser's field coverage, checked against every recorded transcript. */
export const geminiFieldCoverage: FieldCoverage = {
  eventKey: (line) => String(line["type"]),
  mapped: {
    init: ["type", "session_id", "model"],
    message: ["type", "role", "content", "delta"],
    tool_use: ["type", "tool_name", "tool_id", "parameters.*"],
    tool_result: ["type", "tool_id", "status", "output", "error.*"],
    result: ["type", "status", "error.message", "error.type", "stats.input_tokens", "stats.cached", "stats.input", "stats.output_tokens", "stats.total_tokens", "stats.duration_ms", "stats.tool_calls", "stats.models.*"],
  },
  ignored: {
    // When the CLI wrote the line; events get ASM's own timestamps.
    init: ["timestamp"],
    message: ["timestamp"],
    tool_use: ["timestamp"],
    tool_result: ["timestamp"],
    result: ["timestamp"],
  },
};
