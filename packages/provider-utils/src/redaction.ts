import { AsmError, isNativeLine, type NativeLine } from "@asm/contract";

// Secret redaction for everything ASM emits, logs or throws. A CLI may print its own key (an
// error message that echoes a header, a debug line), and that text travels into `stderr` events,
// error messages, stderr tails, stores and terminals. The redactor replaces the values of the
// secret variables a run was given, and text shaped like a credential, before any of that leaves.

/**
 * Environment variables whose values are credentials of one of the supported CLIs. Their values
 * are always redacted, and a CLI receives another vendor's only when the caller passes it.
 */
export const SECRET_ENV_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "OPENAI_API_KEY",
  "CODEX_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_API_KEY",
  "AMP_API_KEY",
] as const;

/** One secret value and, when known, the variable it came from. */
export interface SecretValue {
  value: string;
  /** The variable's name, shown in the replacement (`[REDACTED:OPENAI_API_KEY]`). */
  name?: string;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Literal values to replace wherever they occur. Values shorter than {@link MIN_SECRET_CHARS} are ignored. */
  secrets?: Iterable<SecretValue>;
  /** Also replace text shaped like a credential (`sk-…`, `sk-ant-…`, `AIza…`, `Bearer …`). Default true. */
  shapes?: boolean;
  /** Containers nested deeper than this are replaced whole by {@link REDACTED_DEEP}. Default 100. */
  maxDepth?: number;
}

// Strings at least this long have their clean verdict remembered (see `lastCleanLong`): shorter
// ones are searched faster than a remembered one would be compared.
const LONG_TEXT = 1024;

/** Replaces a credential-shaped string. */
export const REDACTED = "[REDACTED]";
/** Replaces a container too deeply nested to inspect (it could hide anything). */
export const REDACTED_DEEP = "[REDACTED:too deep]";
/**
 * Shortest literal secret the redactor replaces: shorter values (a `1`, a `true`) would shred
 * unrelated text, and no credential of the supported CLIs is that short.
 */
export const MIN_SECRET_CHARS = 8;

/** Replaces secrets in text and in JSON-like values. Pure: inputs are never modified. */
export interface Redactor {
  /** The text with every secret replaced (the same string when there is none). */
  text(text: string): string;
  /**
   * A copy of `value` with every string (keys included) redacted; the very same object when
   * nothing needed replacing, so the common case allocates nothing.
   */
  value<T>(value: T): T;
}

// Credential shapes. Each needs a run of token characters long enough that prose never matches.
// `hints`: substrings one of which every match contains; a string with none of them is left without running
// the expression.
const SHAPES: ReadonlyArray<{ source: string; hints: readonly string[]; replace: (match: string) => string }> = [
  // Anthropic (sk-ant-…) and OpenAI (sk-…, sk-proj-…) keys.
  { source: String.raw`\bsk-[A-Za-z0-9_-]{16,}`, hints: ["sk-"], replace: () => REDACTED },
  // Google API keys (Gemini).
  { source: String.raw`\bAIza[A-Za-z0-9_-]{30,}`, hints: ["AIza"], replace: () => REDACTED },
  // Authorization headers: the scheme stays, the token goes. A token has a digit and 16 characters
  // or more, which keeps prose ("Bearer authentication") intact.
  {
    source: String.raw`\b(?:Bearer|bearer|BEARER)\s+(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*`,
    hints: ["earer", "EARER"],
    replace: (match) => `${match.slice(0, 6)} ${REDACTED}`,
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Builds a redactor for a set of secret values (and, by default, the common credential shapes).
 * Longer secrets are matched first, so a key that contains another is replaced whole. Matching
 * is one regular expression per string: linear in the text, and a string with no secret is
 * returned as it is.
 *
 * @example
 * ```ts
 * const redactor = createRedactor({ secrets: secretValuesOf(process.env) });
 * redactor.text("401: key sk-ant-api03-abcdefghijklmnop rejected"); // "401: key [REDACTED] rejected"
 * ```
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const byValue = new Map<string, string>();
  for (const secret of options.secrets ?? []) {
    if (typeof secret.value !== "string" || secret.value.length < MIN_SECRET_CHARS) continue;
    if (!byValue.has(secret.value)) byValue.set(secret.value, secret.name === undefined ? REDACTED : `[REDACTED:${secret.name}]`);
  }
  const literals = [...byValue.keys()].sort((a, b) => b.length - a.length);
  const shapes = options.shapes === false ? [] : SHAPES;
  const maxDepth = options.maxDepth ?? 100;
  if (literals.length === 0 && shapes.length === 0) return { text: (text) => text, value: (value) => value };
  // One group per shape, after the literals: the group that matched tells the replacement.
  const pattern = new RegExp([...literals.map(escapeRegExp), ...shapes.map((shape) => `(${shape.source})`)].join("|"), "g");

  // Nothing shorter can hold a literal secret or a shape.
  const shortest = Math.min(literals.at(-1)?.length ?? Number.POSITIVE_INFINITY, shapes.length > 0 ? 16 : Number.POSITIVE_INFINITY);
  // One substring search for every hint at once: far cheaper than the full expression, and almost
  // every string has no hint.
  const hinted = new RegExp([...literals, ...shapes.flatMap((shape) => shape.hints)].map(escapeRegExp).join("|"));
  // The last long string found clean. A parser often puts one native string in an event twice (a
  // tool's output is the payload's content and part of the raw line); the second look is then a
  // comparison. Strings cannot change, so the verdict holds; only one is kept, so nothing grows.
  let lastCleanLong: string | undefined;
  const text = (input: string): string => {
    if (input.length < shortest) return input;
    if (input.length >= LONG_TEXT) {
      if (input === lastCleanLong) return input;
      if (!hinted.test(input)) {
        lastCleanLong = input;
        return input;
      }
    } else if (!hinted.test(input)) return input;
    pattern.lastIndex = 0;
    if (!pattern.test(input)) return input;
    pattern.lastIndex = 0;
    return input.replace(pattern, (match: string, ...groups: unknown[]) => {
      const literal = byValue.get(match);
      if (literal !== undefined) return literal;
      const index = groups.findIndex((group, i) => i < shapes.length && group !== undefined);
      return shapes[index]?.replace(match) ?? REDACTED;
    });
  };

  // Every call walks what is there now. A cache of values already found clean (a WeakMap entry per
  // clean payload and raw, so the delivery pass could skip what the lane had walked) cost more than
  // the walk it saved: measured end to end on a 100,000-line stream, about 4 µs of host CPU per
  // line more with it than walking twice.
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value !== "object" || value === null) return value;
    // Depth also ends cycles: a cyclic value becomes the marker once it is this deep.
    if (depth >= maxDepth) return REDACTED_DEEP;
    return walkContainer(value, depth);
  };

  // A line kept as text is searched as text: when no hint occurs in it, none occurs in any of its
  // parsed strings or keys, so it is clean without being parsed. That holds while every character
  // of a hint stands for itself in JSON text: a literal secret with a quote, a backslash or a
  // control character (which JSON writes escaped) and any `\u` or `\/` escape in the line (which
  // can spell any character) send the line to the parsed walk instead, as does a hint.
  // (JSON.stringify escapes exactly those: a literal it leaves as it is reads the same in the line.)
  const literalsReadableInJson = literals.every((literal) => JSON.stringify(literal) === `"${literal}"`);
  const walkLine = (line: NativeLine, depth: number): unknown => {
    const source = line.text;
    const readable = literalsReadableInJson && depth + line.depth <= maxDepth && source.indexOf("\\u") === -1 && source.indexOf("\\/") === -1;
    if (readable && (source.length < shortest || !hinted.test(source))) return line;
    const value = line.value;
    const redacted = walk(value, depth);
    return redacted === value ? line : redacted;
  };

  const walkContainer = (value: object, depth: number): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const next = walk(item, depth + 1);
        if (next !== item && copy === null) copy = value.slice(0, i);
        copy?.push(next);
      }
      return copy ?? value;
    }
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    if (isNativeLine(value)) return walkLine(value, depth);
    const record = value as Record<string, unknown>;
    // Almost every object has nothing to replace, and for…in finds that out without allocating
    // (it reads the keys the object's shape caches, where Object.keys copies them into an array
    // for every object walked). The first thing to replace, in an own key or an inherited one,
    // sends the object to the copying walk over its own keys, which decides.
    for (const key in record) {
      const item = record[key];
      if (text(key) !== key || walk(item, depth + 1) !== item) return copyRedacted(record, depth);
    }
    return value;
  };

  const copyRedacted = (record: Record<string, unknown>, depth: number): unknown => {
    const keys = Object.keys(record);
    let next: Array<[string, unknown]> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = record[key];
      const redactedKey = text(key);
      const redactedItem = walk(item, depth + 1);
      if (next === null && (redactedKey !== key || redactedItem !== item)) {
        next = keys.slice(0, i).map((earlier): [string, unknown] => [earlier, record[earlier]]);
      }
      next?.push([redactedKey, redactedItem]);
    }
    if (next === null) return record;
    const copy: Record<string, unknown> = {};
    // defineProperty, so that a key named `__proto__` stays a plain key.
    for (const [key, item] of next) Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    return copy;
  };

  return { text, value: <T>(value: T): T => walk(value, 0) as T };
}

/**
 * The secret values of an environment: every {@link SECRET_ENV_VARS} entry and every name in
 * `extraNames` (variables the caller marked secret) that is set.
 */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>, extraNames: readonly string[] = []): SecretValue[] {
  const names = new Set<string>([...SECRET_ENV_VARS, ...extraNames]);
  const secrets: SecretValue[] = [];
  for (const name of names) {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof value === "string" && value !== "") secrets.push({ name, value });
  }
  return secrets;
}

/**
 * An {@link AsmError} with its message and details redacted: the same error when nothing needed
 * replacing, else a copy of the same code and retryability whose `cause` is dropped (it holds
 * the unredacted text).
 */
export function redactAsmError(error: AsmError, redactor: Redactor): AsmError {
  const reason = redactor.text(error.reason);
  const details = redactor.value(error.details);
  if (reason === error.reason && details === error.details) return error;
  return new AsmError(error.code, reason, {
    retryable: error.retryable,
    ...(error.provider === undefined ? {} : { provider: error.provider }),
    ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
    details,
  });
}
