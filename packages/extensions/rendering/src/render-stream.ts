import { AsmError, type AsmEvent } from "@asm/contract";
import { compactRenderer } from "./compact-renderer.js";
import type { Renderer, RenderStats } from "./renderer.js";
import type { Sink } from "./sink.js";
import { ttySink } from "./tty-sink.js";

/** Options of {@link renderStream}. */
export interface RenderStreamOptions {
  /** Default: a fresh {@link compactRenderer}. */
  renderer?: Renderer;
  /** Default: one {@link ttySink} on stdout. */
  sinks?: readonly Sink[];
}

/** What {@link renderStream} resolves with: success, or the first error (never thrown). */
export type RenderOutcome =
  | ({ ok: true } & RenderStats)
  | ({ ok: false; error: AsmError } & RenderStats);

function validate(renderer: unknown, sinks: unknown): AsmError | null {
  const rendererOk =
    typeof renderer === "object" &&
    renderer !== null &&
    typeof (renderer as Renderer).render === "function" &&
    typeof (renderer as Renderer).finish === "function";
  if (!rendererOk) return new AsmError("config_invalid", "renderer must have render(event) and finish(stats) functions", { details: { key: "renderer" } });
  if (!Array.isArray(sinks)) return new AsmError("config_invalid", "sinks must be an array", { details: { key: "sinks" } });
  for (const [index, sink] of sinks.entries()) {
    if (typeof sink !== "object" || sink === null || typeof (sink as Sink).write !== "function") {
      return new AsmError("config_invalid", `sinks[${index}] must have a write(text) function`, { details: { key: "sinks", index } });
    }
  }
  return null;
}

function failure(error: unknown, phase: string, name: string): AsmError {
  if (AsmError.isInstance(error)) return error;
  return AsmError.from(error, "runtime", { details: { phase, component: name } });
}

/**
 * Consumes an event stream, renders each event and writes it to every sink, in order. Resolves
 * `{ ok: true, eventCount, toolCount }`, or `{ ok: false, error, … }` with the first error as an
 * `AsmError`: invalid renderer or sinks (`config_invalid`, before anything is read), a sink that
 * cannot open, a renderer or sink that throws, or a stream that fails. After a failure, no further
 * event is read — the iterator is returned, which interrupts an ASM run — the renderer's `abort`
 * text (an open text line ended, no footer) is written, and every sink is still flushed and
 * closed (best effort); later errors are ignored in favour of the first.
 *
 * A failed run is not a rendering failure: its `error` and `run_completed` events are rendered
 * and the outcome is `ok: true`.
 *
 * @example
 * ```ts
 * const outcome = await renderStream(session.stream("Fix the test"), {
 *   renderer: compactRenderer(),
 *   sinks: [ttySink(), jsonlSink({ path: "events.jsonl" })],
 * });
 * if (!outcome.ok) console.error(outcome.error.message);
 * ```
 */
export async function renderStream(events: AsyncIterable<AsmEvent> | Iterable<AsmEvent>, options: RenderStreamOptions = {}): Promise<RenderOutcome> {
  const renderer = options.renderer ?? compactRenderer();
  const sinks = options.sinks ?? [ttySink()];
  const stats: RenderStats = { eventCount: 0, toolCount: 0 };
  const invalid = validate(renderer, sinks);
  if (invalid !== null) return { ok: false, error: invalid, ...stats };

  let firstError: AsmError | null = null;

  const writeText = async (text: string): Promise<void> => {
    if (text === "") return;
    for (const sink of sinks) {
      try {
        await sink.write(text);
      } catch (error) {
        throw failure(error, "write", sink.name);
      }
    }
  };

  try {
    for (const sink of sinks) {
      try {
        await sink.open?.();
      } catch (error) {
        throw failure(error, "open", sink.name);
      }
    }
    await writeText(renderer.init?.() ?? "");
    await consume(events, async (event) => {
      stats.eventCount += 1;
      if (event.kind === "tool_use") stats.toolCount += 1;
      let text: string;
      try {
        text = renderer.render(event);
      } catch (error) {
        throw failure(error, "render", renderer.name);
      }
      for (const sink of sinks) {
        try {
          if (sink.writeEvent) await sink.writeEvent(event, text);
          else if (text !== "") await sink.write(text);
        } catch (error) {
          throw failure(error, "write", sink.name);
        }
      }
    });
    let footer: string;
    try {
      footer = renderer.finish({ ...stats });
    } catch (error) {
      throw failure(error, "finish", renderer.name);
    }
    await writeText(footer);
  } catch (error) {
    firstError = failure(error, "stream", "events");
    // A stream that stopped mid-text leaves its line open: end it, so what the caller prints
    // next is not glued to it. Best effort: the sink that failed may fail again.
    let close = "";
    try {
      close = renderer.abort?.() ?? "";
    } catch {
      close = "";
    }
    if (close !== "") {
      for (const sink of sinks) {
        try {
          await sink.write(close);
        } catch {
          // The first error is the one reported.
        }
      }
    }
  }

  // Every sink is flushed and closed, whatever happened above (closing an unopened sink is a no-op).
  for (const sink of sinks) {
    try {
      await sink.flush?.();
    } catch (error) {
      firstError ??= failure(error, "flush", sink.name);
    }
    try {
      await sink.close?.();
    } catch (error) {
      firstError ??= failure(error, "close", sink.name);
    }
  }
  return firstError === null ? { ok: true, ...stats } : { ok: false, error: firstError, ...stats };
}

/**
 * Iterates `events`, awaiting `handle` for each. When `handle` throws, the iterator is returned
 * (an ASM run stream interrupts its run and waits until the process is gone) before the error
 * propagates.
 */
async function consume(events: AsyncIterable<AsmEvent> | Iterable<AsmEvent>, handle: (event: AsmEvent) => Promise<void>): Promise<void> {
  for await (const event of events) await handle(event);
}
