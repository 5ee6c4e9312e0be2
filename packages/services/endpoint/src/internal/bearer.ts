import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh bearer token: 18 random bytes, base64url. */
export function mintToken(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Whether an `Authorization` header carries `token`. Compared in constant time over digests, so
 * neither the token's content nor its length leaks through timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== "string") return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = createHash("sha256").update(match[1]).digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected);
}
