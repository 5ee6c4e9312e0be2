import { isAsmError, type AsmError, type AsmErrorCode } from "@asm/contract";
import { expect } from "vitest";

/** What the thrown `AsmError` must carry: its code, and optionally more. */
export interface ExpectedAsmError {
  code: AsmErrorCode;
  /** Text the message (without its `[domain/code]` prefix) must contain, or a pattern it must match. */
  message?: string | RegExp;
  /** The provider the error must name. */
  provider?: string;
  /** Entries `details` must contain (compared with `toMatchObject`). */
  details?: Record<string, unknown>;
}

function check(thrown: unknown, expected: ExpectedAsmError | AsmErrorCode): AsmError {
  const wanted = typeof expected === "string" ? { code: expected } : expected;
  if (!isAsmError(thrown)) {
    const what = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    expect.fail(`expected an AsmError with code ${wanted.code}, got ${what}`);
  }
  expect(thrown.code, `code of: ${thrown.message}`).toBe(wanted.code);
  if (typeof wanted.message === "string") expect(thrown.reason).toContain(wanted.message);
  else if (wanted.message !== undefined) expect(thrown.reason).toMatch(wanted.message);
  if (wanted.provider !== undefined) expect(thrown.provider).toBe(wanted.provider);
  if (wanted.details !== undefined) expect(thrown.details).toMatchObject(wanted.details);
  return thrown;
}

/**
 * Runs `action` and asserts that it throws an `AsmError` with the expected code (and message,
 * provider, details when given). Returns the error for further checks. Fails when nothing is
 * thrown, when something else is thrown, and when `action` returns a promise (use
 * {@link expectAsmErrorAsync} for those).
 *
 * @example
 * ```ts
 * expectAsmError(() => buildInvocation(input), { code: "config_invalid", message: "sandbox", details: { key: "sandbox" } });
 * ```
 */
export function expectAsmError(action: () => unknown, expected: ExpectedAsmError | AsmErrorCode): AsmError {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return check(error, expected);
  }
  if (result instanceof Promise) {
    result.catch(() => undefined);
    return expect.fail("the action returned a promise; use expectAsmErrorAsync");
  }
  return expect.fail(`expected an AsmError with code ${typeof expected === "string" ? expected : expected.code}, but nothing was thrown`);
}

/**
 * Awaits `action` (a promise, or a function returning one) and asserts that it rejects with an
 * `AsmError` as {@link expectAsmError} describes. Returns the error.
 *
 * @example
 * ```ts
 * await expectAsmErrorAsync(asm.query("claude", "hi", { bogus: 1 }), { code: "config_invalid", message: "bogus" });
 * ```
 */
export async function expectAsmErrorAsync(action: Promise<unknown> | (() => Promise<unknown>), expected: ExpectedAsmError | AsmErrorCode): Promise<AsmError> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    return check(error, expected);
  }
  return expect.fail(`expected a rejection with an AsmError of code ${typeof expected === "string" ? expected : expected.code}, but it resolved`);
}
