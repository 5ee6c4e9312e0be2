import { claude } from "@asm/claude";
import type { AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";

/** The ASM runtime every benchmark drives: the real `claude()` provider on the core lane. */
export function createBenchAsm(): Asm {
  return createAsm({ providers: [claude()] });
}

/** Which fake to run and how. */
export interface AsmTarget {
  cliPath: string;
  env?: Record<string, string>;
}

/** What one ASM run delivered. */
export interface AsmStreamResult {
  /** Events yielded by `stream()`, `run_completed` included. */
  events: number;
  /** The `run_completed` status. */
  status: string;
}

/** Session options that point the Claude provider at a fake CLI. */
export function sessionOptions(target: AsmTarget): Record<string, unknown> & { provider: string } {
  return {
    provider: "claude",
    cliPath: target.cliPath,
    includePartialMessages: true,
    autoResume: false,
    ...(target.env ? { env: target.env } : {}),
  };
}

/**
 * Runs one prompt through `session.stream()` on a fresh session and counts what the consumer gets;
 * `onEvent` sees every event as it arrives; `extra` adds session options (a remote placement).
 */
export function asmStream(asm: Asm, target: AsmTarget, onEvent?: (event: AsmEvent) => void, extra: Record<string, unknown> = {}): Promise<AsmStreamResult> {
  return drainSession(asm, { ...sessionOptions(target), ...extra }, onEvent);
}

/** Starts a session with `options`, streams the benchmark prompt to the end, stops the session. */
export async function drainSession(asm: Asm, options: Record<string, unknown> & { provider: string }, onEvent?: (event: AsmEvent) => void): Promise<AsmStreamResult> {
  const session = await asm.startSession(options);
  let events = 0;
  let status = "none";
  try {
    for await (const event of session.stream("Run the benchmark")) {
      events += 1;
      onEvent?.(event);
      if (event.kind === "run_completed") status = event.payload.status;
    }
  } finally {
    await asm.stopSession(session);
  }
  return { events, status };
}
