import { fileURLToPath } from "node:url";

/** The Node fake `claude` (`bin/fake-claude.mjs`): stream, paced and minimal modes. */
export const FAKE_CLAUDE_PATH = fileURLToPath(new URL("../../bin/fake-claude.mjs", import.meta.url));

/** The shell fake `claude` (`bin/fake-claude-minimal.sh`): the minimal turn, started in about a millisecond. */
export const FAKE_CLAUDE_MINIMAL_PATH = fileURLToPath(new URL("../../bin/fake-claude-minimal.sh", import.meta.url));

/** What the Node fake should print for the turn. */
export type FakeScenario =
  | { mode: "stream"; file: string }
  | { mode: "paced"; count: number; rate: number }
  | { mode: "minimal" };

/** The environment variables that select a scenario of the Node fake. */
export function fakeEnv(scenario: FakeScenario): Record<string, string> {
  switch (scenario.mode) {
    case "stream":
      return { BENCH_FAKE_MODE: "stream", BENCH_STREAM_FILE: scenario.file };
    case "paced":
      return { BENCH_FAKE_MODE: "paced", BENCH_PACED_COUNT: String(scenario.count), BENCH_PACED_RATE: String(scenario.rate) };
    case "minimal":
      return { BENCH_FAKE_MODE: "minimal" };
  }
}

/**
 * The two lines the Claude Agent SDK and ASM write first (an `initialize` control request and the
 * prompt as a `user` message); a baseline consumer writes the same so the fake behaves the same.
 */
export const OPENING_LINES =
  `${JSON.stringify({ type: "control_request", request_id: "bench_init", request: { subtype: "initialize" } })}\n` +
  `${JSON.stringify({ type: "user", session_id: "", message: { role: "user", content: [{ type: "text", text: "Run the benchmark" }] }, parent_tool_use_id: null })}\n`;
