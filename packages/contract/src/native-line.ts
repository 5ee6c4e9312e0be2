// A backend event's `raw` may be the CLI's line as text rather than its parsed value. A parser's
// shortcut for the hottest line shapes reads the few fields it needs straight from the text and
// keeps the line as it came: the value is parsed only when someone reads it, which for most
// events is never. The envelope built by `createEvent` turns it back into a plain `raw` value, so
// an `AsmEvent` looks the same to its consumers either way.

// Recognised by a registered symbol rather than `instanceof`: two copies of this package in one
// process (a bundled provider beside the host's own) must still agree on what a native line is.
const NATIVE_LINE = Symbol.for("asm.contract.native-line");

/**
 * A native JSON line kept as its text, for a {@link BackendEvent}'s `raw`; {@link NativeLine.value}
 * parses it on first read and keeps the result.
 *
 * @example
 * ```ts
 * const raw = new NativeLine('{"type":"ping","id":1}', 1);
 * raw.value; // { type: "ping", id: 1 }
 * JSON.stringify({ raw }); // '{"raw":{"type":"ping","id":1}}'
 * ```
 */
export class NativeLine {
  /** The line as the CLI printed it, without its newline. Its maker has checked it is JSON. */
  readonly text: string;
  /** How deeply the value's containers nest (its maker knows the shape it matched). */
  readonly depth: number;
  #value: unknown = undefined;
  #parsed = false;

  /** `text` must be valid JSON whose containers nest `depth` deep; `value` throws otherwise. */
  constructor(text: string, depth: number) {
    this.text = text;
    this.depth = depth;
  }

  /** The parsed line (the same object on every read). */
  get value(): unknown {
    if (!this.#parsed) {
      this.#value = JSON.parse(this.text);
      this.#parsed = true;
    }
    return this.#value;
  }

  /** Marks the instances {@link isNativeLine} recognises. */
  get [NATIVE_LINE](): true {
    return true;
  }

  /** Serialises as the parsed line, so an event holding it stringifies as one holding the value. */
  toJSON(): unknown {
    return this.value;
  }
}

/** True when `value` is a {@link NativeLine} (of this copy of the contract or another). */
export function isNativeLine(value: unknown): value is NativeLine {
  return typeof value === "object" && value !== null && (value as { [NATIVE_LINE]?: unknown })[NATIVE_LINE] === true;
}

/** A `raw` as a plain value: a {@link NativeLine}'s parsed line, anything else as it is. */
export function rawValueOf(raw: unknown): unknown {
  return isNativeLine(raw) ? raw.value : raw;
}
