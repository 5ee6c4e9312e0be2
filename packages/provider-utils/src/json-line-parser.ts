import type { BackendEvent, ExitInfo, ProfileParser } from "@asm/contract";
import { isRecord, type JsonObject } from "./guards.js";
import { ownValue } from "./own-property.js";
import type { ParserEvents } from "./parser-events.js";

/** Maps one JSON line of a known type onto events. */
export type LineHandler = (line: JsonObject, type: string) => BackendEvent[];

/** The type name given to a JSON object line without a type. */
export const MISSING_TYPE = "(missing)";

/** What {@link createJsonLineParser} builds a parser from. */
export interface JsonLineParserSpec {
  /** Name for people, used in messages (`Claude Code printed a line that is not JSON`). */
  cliName: string;
  /** The run's event builder (session id stamping, bounded raw, drift warnings). */
  events: ParserEvents;
  /** The native type of a line (default: its own `type` field, when a non-empty string). */
  typeOf?: (line: JsonObject) => string | undefined;
  /**
   * Handlers by native type. A type without one becomes `raw` with `metadata.unknownType` (so
   * `__proto__` or `constructor` as a type is unknown, never a member of `Object.prototype`).
   */
  handlers: Readonly<Record<string, LineHandler>>;
  /**
   * A shortcut for the hottest line shapes, tried on a line's text before it is parsed: the
   * line's events, or `undefined` to parse it as usual. For any line it answers, it must give what
   * the usual path would (keeping the line as a `NativeLine` raw is how it saves the parse).
   */
  fastLine?: (text: string) => BackendEvent[] | undefined;
  /** Runs on every object line before its handler (session id tracking); its events come first. */
  beforeDispatch?: (line: JsonObject, type: string) => BackendEvent[];
  /** A line of no known type (default: `events.unknownType`). */
  unknownType?: (line: JsonObject, type: string) => BackendEvent[];
  /** A JSON line that is not an object (default: `raw`, with one `schema_drift` warning per run). */
  nonObject?: (value: unknown) => BackendEvent[];
  /** A chunk of stderr. */
  stderr(chunk: string): BackendEvent[];
  /** The process ended (see `ProfileParser.exit`). */
  exit(info: ExitInfo): BackendEvent[];
}

function defaultTypeOf(line: JsonObject): string | undefined {
  const type = ownValue(line, "type");
  return typeof type === "string" && type !== "" ? type : undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : "an unexpected value";
}

/**
 * A `ProfileParser` for a CLI that prints one JSON value per stdout line. The skeleton every
 * provider parser builds on:
 *
 * 1. a blank line gives nothing;
 * 2. a line that is not JSON gives a non-terminal `parse_error` (`error`, severity `warning`);
 * 3. JSON that is not an object gives `raw` (and one `schema_drift` warning);
 * 4. an object goes to `beforeDispatch`, then to the handler of its type; a type without a
 *    handler gives `raw` with `metadata.unknownType`;
 * 5. a handler that throws loses nothing that came before: its line gives `raw` and a
 *    non-terminal `parse_error` naming the type, and the parser goes on.
 *
 * A `fastLine` shortcut, when given, sees each line first and answers the shapes it recognises.
 *
 * @example
 * ```ts
 * let sessionId: string | undefined;
 * const events = createParserEvents({ sessionId: () => sessionId });
 * const parser = createJsonLineParser({
 *   cliName: "Tiny",
 *   events,
 *   handlers: { text: (line) => [events.event("assistant_delta", { content: String(line.text) }, line)] },
 *   stderr: (chunk) => [events.event("stderr", { content: chunk })],
 *   exit: () => [],
 * });
 * ```
 */
export function createJsonLineParser(spec: JsonLineParserSpec): ProfileParser {
  const { events } = spec;
  const handlers = new Map(Object.entries(spec.handlers));
  const typeOf = spec.typeOf ?? defaultTypeOf;
  const nonObject = spec.nonObject ?? ((value: unknown) => events.drift("(non-object)", `${spec.cliName} printed JSON that is not an object`, value));
  const fastLine = spec.fastLine;
  const unknownType = spec.unknownType ?? ((line: JsonObject, type: string) => [events.unknownType(type, line)]);

  function dispatch(line: JsonObject): BackendEvent[] {
    const type = typeOf(line) ?? MISSING_TYPE;
    const out: BackendEvent[] = [];
    try {
      if (spec.beforeDispatch !== undefined) out.push(...spec.beforeDispatch(line, type));
      const handler = handlers.get(type);
      out.push(...(handler === undefined ? unknownType(line, type) : handler(line, type)));
      return out;
    } catch (error) {
      return [
        ...out,
        events.raw(line),
        events.event(
          "error",
          { message: `${spec.cliName} printed a "${type.slice(0, 120)}" line that could not be mapped: ${reasonOf(error)}`, code: "parse_error", severity: "warning", details: { type: type.slice(0, 120) } },
          line,
        ),
      ];
    }
  }

  return {
    line(text) {
      const fast = fastLine?.(text);
      if (fast !== undefined) return fast;
      if (text.trim() === "") return [];
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (_error) {
        return [events.parseError(spec.cliName, text)];
      }
      return isRecord(value) ? dispatch(value) : nonObject(value);
    },
    value: (value) => (isRecord(value) ? dispatch(value) : nonObject(value)),
    stderr: (chunk) => spec.stderr(chunk),
    exit: (info) => spec.exit(info),
  };
}
