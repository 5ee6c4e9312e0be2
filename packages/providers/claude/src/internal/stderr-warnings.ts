/** A warning Claude Code prints on stderr: `[claude-code:<code>] <JSON or text>`. */
interface ClaudeStderrWarning {
  /** `claude.<native code>`, namespaced so it can never be taken for one of ASM's own codes. */
  code: `claude.${string}`;
  message: string;
  details: Record<string, unknown>;
}

const WARNING_LINE = /^\[claude-code:([a-z][a-z0-9_-]*)\]\s*(.*)$/;

/**
 * The warnings in a chunk of Claude Code's stderr (whole lines), one per `[claude-code:<code>]`
 * line; other lines are none. Claude prints these and carries on (an unrecognized `--model` is
 * still sent), so they are `warning` events, not errors.
 */
export function claudeStderrWarnings(chunk: string): ClaudeStderrWarning[] {
  const warnings: ClaudeStderrWarning[] = [];
  for (const raw of chunk.split("\n")) {
    const line = raw.trim();
    const match = WARNING_LINE.exec(line);
    if (match === null) continue;
    const nativeCode = match[1]!;
    const rest = match[2]!;
    const data = parseJson(rest);
    warnings.push({ code: `claude.${nativeCode}`, message: describe(nativeCode, data, rest), details: { nativeCode, ...(data === undefined ? {} : { data }), line } });
  }
  return warnings;
}

function parseJson(text: string): unknown {
  if (!text.startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(nativeCode: string, data: unknown, rest: string): string {
  const model = typeof data === "object" && data !== null ? (data as { model?: unknown }).model : undefined;
  if (nativeCode === "unrecognized_model" && typeof model === "string") {
    return `Claude Code does not recognize the model ${model}; the name is sent as given (check --model)`;
  }
  const words = nativeCode.replaceAll(/[_-]/g, " ");
  return rest === "" ? `Claude Code warns: ${words}` : `Claude Code warns: ${words} ${rest}`;
}
