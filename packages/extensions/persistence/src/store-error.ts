import { AsmError, isAsmError } from "@asm/contract";

/**
 * Wraps a failure of a store's storage (a file system or database error) in
 * `AsmError("store_unavailable")`, naming the store and keeping the cause's code (`ENOSPC`,
 * `EROFS`, `SQLITE_FULL`, `57P01`, …) in `details.cause`. An `AsmError` passes through.
 */
export function storeUnavailable(store: string, what: string, error: unknown, details: Record<string, unknown> = {}): AsmError {
  if (isAsmError(error)) return error;
  const code = typeof error === "object" && error !== null && "code" in error ? String((error).code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new AsmError("store_unavailable", `${store} store: ${what} failed: ${message}`, {
    cause: error,
    details: { store, ...(code ? { cause: code } : {}), ...details },
  });
}
