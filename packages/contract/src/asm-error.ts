import { ASM_ERROR_CODES, isAsmErrorCode, type AsmErrorCode, type AsmErrorDomain } from "./error-codes.js";

const BRAND = Symbol.for("asm.error");

/**
 * Fields accepted by the {@link AsmError} constructor besides the code and message. There is no
 * `domain`: a code's domain comes from the table alone, so one code always means one thing.
 */
export interface AsmErrorOptions {
  /** Overrides the code's default retryability (a provider that says "retry after" for an otherwise final failure). */
  retryable?: boolean;
  /** The provider involved, when there is one. */
  provider?: string;
  /** The CLI's exit code, for errors classified from a process exit. */
  exitCode?: number | null;
  /** The underlying error. */
  cause?: unknown;
  /** Structured context (the offending key, the stderr tail, the run id…). */
  details?: Record<string, unknown>;
}

/**
 * The one error type ASM throws and reports. Check with {@link isAsmError} (or
 * `AsmError.isInstance`) rather than `instanceof`: the brand survives duplicate installs.
 *
 * @example
 * ```ts
 * try { await asm.query("claude", "hi"); }
 * catch (error) { if (isAsmError(error) && error.code === "auth_error") login(); }
 * ```
 */
export class AsmError extends Error {
  /** Stable machine-readable code. */
  readonly code: AsmErrorCode;
  /** Area of the failure. */
  readonly domain: AsmErrorDomain;
  /** Whether retrying the same call may succeed. */
  readonly retryable: boolean;
  /** Provider involved, if any. */
  readonly provider: string | undefined;
  /** CLI exit code, if the error was classified from an exit. */
  readonly exitCode: number | null | undefined;
  /** Structured context. */
  readonly details: Record<string, unknown>;
  private readonly [BRAND] = true;

  constructor(code: AsmErrorCode, message: string, options: AsmErrorOptions = {}) {
    const entry = ASM_ERROR_CODES[code];
    const domain = entry.domain;
    super(`[${domain}/${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AsmError";
    this.code = code;
    this.domain = domain;
    this.retryable = options.retryable ?? entry.retryable;
    this.provider = options.provider;
    this.exitCode = options.exitCode;
    this.details = options.details ?? {};
  }

  /** The message without the `[domain/code]` prefix. */
  get reason(): string {
    return this.message.replace(/^\[[a-z_]+\/[a-z_]+\] /, "");
  }

  /** Brand check that works across duplicate copies of this package. */
  static isInstance(value: unknown): value is AsmError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * Wraps anything thrown into an AsmError: AsmErrors pass through, other errors become
   * `fallbackCode` with the original kept as `cause`.
   */
  static from(value: unknown, fallbackCode: AsmErrorCode = "runtime", options: AsmErrorOptions = {}): AsmError {
    if (AsmError.isInstance(value)) return value;
    const message = value instanceof Error ? value.message : String(value);
    return new AsmError(fallbackCode, message, { ...options, cause: value });
  }

  /** A JSON-safe view, as carried in `error` event payloads and persisted results. */
  toJSON(): SerializedAsmError {
    return {
      code: this.code,
      domain: this.domain,
      message: this.reason,
      retryable: this.retryable,
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.exitCode === undefined ? {} : { exitCode: this.exitCode }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }

  /**
   * Rebuilds an AsmError from its serialized form. Unknown codes become `unknown`; the domain is
   * the code's, whatever the serialized form says.
   */
  static fromJSON(value: SerializedAsmError): AsmError {
    const code = isAsmErrorCode(value.code) ? value.code : "unknown";
    return new AsmError(code, value.message, {
      retryable: value.retryable,
      provider: value.provider,
      exitCode: value.exitCode,
      details: value.details,
    });
  }
}

/** The JSON form of an {@link AsmError}. */
export interface SerializedAsmError {
  code: AsmErrorCode;
  domain: AsmErrorDomain;
  message: string;
  retryable: boolean;
  provider?: string;
  exitCode?: number | null;
  details?: Record<string, unknown>;
}

/** True when `value` is an {@link AsmError} from any copy of this package. */
export function isAsmError(value: unknown): value is AsmError {
  return AsmError.isInstance(value);
}

/** Shorthand for `new AsmError("config_invalid", message, options)`. */
export function configError(message: string, options: AsmErrorOptions = {}): AsmError {
  return new AsmError("config_invalid", message, options);
}
