import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { FakeScenario } from "../fake/fake-claude.js";
import { spawnFake, whenClosed } from "./child-stream.js";

/** What the readline + JSON.parse consumer saw. */
export interface ParseResult {
  /** Lines parsed (every stdout line, control responses included). */
  lines: number;
  /** Whether a `result` line arrived. */
  sawResult: boolean;
}

/**
 * The parse limit: `readline` over the child's stdout and `JSON.parse` of every line, in one
 * process, with nothing else done. `onLine` sees every parsed object.
 */
export function readlineParse(scenario: FakeScenario, onLine?: (value: Record<string, unknown>) => void): Promise<ParseResult> {
  return readlineParseChild(spawnFake(scenario), onLine);
}

/** {@link readlineParse} over a child already started (another provider's fake CLI). */
export async function readlineParseChild(child: ChildProcessWithoutNullStreams, onLine?: (value: Record<string, unknown>) => void): Promise<ParseResult> {
  const closed = whenClosed(child);
  const input = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  let lines = 0;
  let sawResult = false;
  input.on("line", (text) => {
    const value = JSON.parse(text) as Record<string, unknown>;
    lines += 1;
    if (value["type"] === "result") sawResult = true;
    onLine?.(value);
  });
  await closed;
  return { lines, sawResult };
}
