/** Default longest preview, in characters (as in the original compact renderer). */
export const DEFAULT_PREVIEW_CHARS = 240;

/** Shortens `text` to `max` characters, marking the cut with an ellipsis. */
function truncate(text: string, max: number): string {
  if (!Number.isFinite(max) || text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}

/** One line of text for any value: strings as they are, everything else as compact JSON. */
export function inline(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return safeJson(value);
}

/** A single-line preview: newlines and runs of whitespace collapse to one space, then truncated. */
export function preview(value: unknown, max: number): string {
  return truncate(inline(value).replace(/\s+/g, " ").trim(), max);
}

/**
 * JSON that never throws: cycles become `"[Circular]"`, bigints strings, errors their
 * `toJSON()` (AsmError) or `{ name, message }`, functions and symbols are dropped.
 */
export function safeJson(value: unknown, space?: number): string {
  // The objects from the root down to the one being written: only a value that is its own
  // ancestor is a cycle. A value met twice side by side (an event's `raw` and its payload often
  // share one parsed line) is written twice.
  const ancestors: object[] = [];
  const text = JSON.stringify(
    value,
    function replace(this: unknown, _key: string, field: unknown): unknown {
      if (typeof field === "bigint") return field.toString();
      if (typeof field === "function" || typeof field === "symbol") return undefined;
      if (field instanceof Error) {
        const withJson = field as Error & { toJSON?: () => unknown };
        if (typeof withJson.toJSON === "function") return withJson.toJSON();
        return { name: field.name, message: field.message };
      }
      if (typeof field === "object" && field !== null) {
        while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
        if (ancestors.includes(field)) return "[Circular]";
        ancestors.push(field);
      }
      return field;
    },
    space,
  );
  return text ?? "";
}

/** Text of the text blocks of message content (a string, or content blocks). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return inline(content);
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === "string") parts.push(block);
    else if (isRecord(block) && block.type === "text" && typeof block.text === "string") parts.push(block.text);
  }
  return parts.join("");
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
