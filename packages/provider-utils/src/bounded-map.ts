import { AsmError } from "@asm/contract";

/**
 * A `Map` that keeps at most `capacity` entries, forgetting the oldest insertion first. Parser
 * state keyed by ids from the CLI's output (tool names by call id) uses it, so a stream of
 * unique ids cannot grow memory without bound.
 *
 * @example
 * ```ts
 * const names = new BoundedMap<string, string>(2);
 * names.set("a", "Bash").set("b", "Read").set("c", "Edit");
 * names.has("a"); // false
 * ```
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new AsmError("config_invalid", `BoundedMap capacity must be a positive integer, got ${String(capacity)}`, { details: { key: "capacity" } });
    }
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) {
      const oldest = this.keys().next();
      if (oldest.done !== true) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

/** How many entries parser state keeps per map by default. */
export const DEFAULT_PARSER_STATE_CAPACITY = 10_000;
