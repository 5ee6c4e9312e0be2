import type { RecordedRequest } from "./http-server.js";
import type { ResponsesRequestBody, ResponsesToolOutput, ResponsesTurn } from "./openai-responses-types.js";
import { isRecord, stringOf } from "@asm/provider-utils";

const TOOL_OUTPUT_TYPES = new Set(["function_call_output", "custom_tool_call_output"]);


/** The text of Responses message content: a string, or its text parts joined. */
export function responsesTextOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part): part is { text: string } => isRecord(part) && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}

/** Reads the parts of a `/v1/responses` request responders decide on. */
export function toResponsesTurn(request: RecordedRequest, number: number): ResponsesTurn {
  const body = isRecord(request.body) ? (request.body as ResponsesRequestBody) : {};
  const input = Array.isArray(body.input) ? body.input.filter(isRecord) : [];
  const lastUser = [...input].reverse().find((item) => item.role === "user");
  const toolOutputs: ResponsesToolOutput[] = input
    .filter((item) => TOOL_OUTPUT_TYPES.has(String(item.type)))
    .map((item) => ({
      callId: stringOf(item.call_id),
      output: typeof item.output === "string" ? item.output : JSON.stringify(item.output ?? null),
    }));
  return {
    request,
    body,
    number,
    model: typeof body.model === "string" ? body.model : "gpt-5.5",
    input,
    lastUserText: lastUser === undefined ? "" : responsesTextOf(lastUser.content),
    toolOutputs,
    continuingAfterTool: TOOL_OUTPUT_TYPES.has(String(input.at(-1)?.type)),
  };
}
