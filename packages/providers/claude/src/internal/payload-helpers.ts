import { ASM_ERROR_CODES, type AsmErrorCode, type AsmErrorDomain } from "@asm/contract";
import { isRecord } from "./guards.js";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Drops keys whose value is `undefined`, so payloads stay free of placeholder fields. */
export function compact<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

/** The text of a content value: a string, or the joined text blocks of a list. */
export function textOfBlocks(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => (isRecord(block) && block["type"] === "text" && typeof block["text"] === "string" ? block["text"] : ""))
    .join("");
}

/** A tool result's content: a string stays, a list of text blocks becomes their joined text. */
export function toolResultContent(content: unknown): unknown {
  if (Array.isArray(content) && content.length > 0 && content.every((block) => isRecord(block) && block["type"] === "text")) {
    return content.map((block) => String((block as Json)["text"] ?? "")).join("\n");
  }
  return content ?? "";
}

/** The strings of a list, or undefined when the value is not a list. */
export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/** The domain and retryability the code table gives a code. */
export function errorTableFields(code: AsmErrorCode): { domain: AsmErrorDomain; retryable: boolean } {
  return { domain: ASM_ERROR_CODES[code].domain, retryable: ASM_ERROR_CODES[code].retryable };
}
