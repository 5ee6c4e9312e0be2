import type { HostToolContext } from "@asm/contract";
import type { z } from "zod";
import type { CheckedHostTool } from "./host-tool-list.js";

/** One call's outcome, as MCP's `tools/call` result carries it. */
export interface HostToolCallResult {
  content: Array<{ type: "text"; text: string }>;
  isError: boolean;
}

function text(value: string, isError: boolean): HostToolCallResult {
  return { content: [{ type: "text", text: value }], isError };
}

function render(output: unknown): string {
  if (typeof output === "string") return output;
  if (output === undefined) return "";
  try {
    // JSON.stringify gives undefined for a function or a symbol.
    return JSON.stringify(output) ?? typeof output;
  } catch (error) {
    return `(unserializable result: ${error instanceof Error ? error.message : "unknown"})`;
  }
}

function abortedResult(name: string, signal: AbortSignal): HostToolCallResult {
  const reason = signal.reason instanceof Error ? signal.reason.message : "the call was cancelled";
  return text(`Tool ${name} was aborted: ${reason}`, true);
}

/**
 * Runs one call of a host tool. Whatever goes wrong becomes an error result the agent reads, and
 * never an exception: an unknown name, input the schema refuses, a tool that throws or rejects.
 * When `context.signal` aborts (the run was interrupted or ended) the call resolves at once with
 * an error result; the tool sees the same signal and should stop, its late result is discarded.
 */
export async function executeHostTool(
  tools: ReadonlyMap<string, CheckedHostTool>,
  name: string,
  input: unknown,
  context: HostToolContext,
): Promise<HostToolCallResult> {
  const entry = tools.get(name);
  if (entry === undefined) {
    return text(`Unknown tool: ${name}. Available: ${[...tools.keys()].join(", ") || "none"}`, true);
  }
  const schema = entry.tool.inputSchema as z.ZodType;
  const parsed: z.ZodSafeParseResult<unknown> = await schema.safeParseAsync(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "input"}: ${issue.message}`);
    return text(`Invalid input for ${name}: ${issues.join("; ")}`, true);
  }
  if (context.signal.aborted) return abortedResult(name, context.signal);

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<HostToolCallResult>((resolve) => {
    onAbort = () => resolve(abortedResult(name, context.signal));
    context.signal.addEventListener("abort", onAbort, { once: true });
  });
  const called = (async (): Promise<HostToolCallResult> => {
    try {
      return text(render(await entry.tool.call(parsed.data, context)), false);
    } catch (error) {
      return text(`Tool ${name} failed: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  })();
  try {
    return await Promise.race([called, aborted]);
  } finally {
    if (onAbort) context.signal.removeEventListener("abort", onAbort);
  }
}
