import type { IncomingMessage } from "node:http";
import { AsmError } from "@asm/contract";

/**
 * Reads a JSON object body of at most `maxBytes`. Too large → `AsmError("config_invalid")` with
 * `details.status` 413; invalid JSON or a non-object → `config_invalid` naming `body`.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new AsmError("config_invalid", "the request body is not valid JSON", { details: { key: "body" } });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AsmError("config_invalid", "the request body must be a JSON object", { details: { key: "body" } });
  }
  return parsed as Record<string, unknown>;
}

function tooLarge(maxBytes: number): AsmError {
  return new AsmError("config_invalid", `the request body exceeds ${maxBytes} bytes`, { details: { key: "body", status: 413 } });
}
