import type { AsmEvent } from "@asm/contract";
import { painter } from "./ansi.js";
import { DEFAULT_PREVIEW_CHARS, inline, preview } from "./internal/preview.js";
import type { Renderer, RendererOptions, RenderStats } from "./renderer.js";

/**
 * One `[kind] key=value …` line per event: the sequence number, then every payload field, then
 * the provider session id when known. Strings with spaces are quoted; objects are compact JSON;
 * each value is cut at `previewChars`. The footer is `--- N events, M tools ---`.
 *
 * @example
 * ```ts
 * await renderStream(events, { renderer: verboseRenderer(), sinks: [fileSink({ path: "run.log" })] });
 * // [tool_use] seq=4 toolName=Bash toolCallId=toolu_1 input={"command":"echo hi"}
 * ```
 */
export function verboseRenderer(options: RendererOptions = {}): Renderer {
  const paint = painter(options.color ?? true);
  const max = options.previewChars ?? DEFAULT_PREVIEW_CHARS;
  const omit = new Set<string>(options.omit ?? []);

  const value = (field: unknown): string => {
    const text = preview(inline(field), max);
    if (typeof field === "string" && (text === "" || /[\s="]/.test(text))) return JSON.stringify(text);
    return text;
  };

  return {
    name: "verbose",
    render(event: AsmEvent): string {
      if (omit.has(event.kind)) return "";
      const pairs = [`seq=${event.sequence}`];
      for (const [key, field] of Object.entries(event.payload as Record<string, unknown>)) {
        if (field === undefined) continue;
        pairs.push(`${key}=${value(field)}`);
      }
      if (event.providerSessionId) pairs.push(`providerSessionId=${event.providerSessionId}`);
      const color = event.kind === "error" || (event.kind === "run_completed" && event.payload.status !== "completed") ? "red" : "cyan";
      return `${paint(color, `[${event.kind}]`)} ${pairs.join(" ")}\n`;
    },
    finish(stats: RenderStats): string {
      if (options.footer === false) return "";
      return `${paint("dim", `--- ${stats.eventCount} events, ${stats.toolCount} tools ---`)}\n`;
    },
  };
}
