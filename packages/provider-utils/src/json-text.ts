// Pieces for reading a JSON line of a fixed layout straight from its text (a parser's shortcut for
// its CLI's hottest line shape, see `JsonLineParserSpec.fastLine`). An expression built from them
// accepts only well-formed JSON, so the line it accepts is the line `JSON.parse` would read.

/** Source of a regular expression matching one JSON string literal, quotes included. */
export const JSON_STRING_SOURCE = String.raw`"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"`;

/** Source matching a JSON string literal without escapes, its content captured (quotes excluded). */
export const PLAIN_STRING_SOURCE = String.raw`"([^"\\\u0000-\u001f]*)"`;

/** {@link PLAIN_STRING_SOURCE} without the capture. */
export const UNCAPTURED_PLAIN_STRING_SOURCE = String.raw`"[^"\\\u0000-\u001f]*"`;

/**
 * The string a JSON string literal matched by {@link JSON_STRING_SOURCE} stands for: the literal
 * without its quotes when it has no escape, else decoded.
 */
export function decodeJsonString(literal: string): string {
  return literal.indexOf("\\") === -1 ? literal.slice(1, -1) : (JSON.parse(literal) as string);
}
