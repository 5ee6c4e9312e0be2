import type { GeminiFunctionResponse, GeminiGenerateBody, GeminiRequestContent, GeminiTurn } from "./gemini-types.js";
import type { RecordedRequest } from "./http-server.js";
import { isRecord } from "@asm/provider-utils";

/** Matches `/v1beta/models/<model>:<method>` (any API version). */
export const GEMINI_MODEL_PATH = /^\/(v1[a-z0-9]*)\/models\/([^/:]+):([A-Za-z]+)$/;

/** Reads the parts of a `generateContent`/`streamGenerateContent` request responders decide on. */
export function toGeminiTurn(request: RecordedRequest, number: number, model: string, method: GeminiTurn["method"]): GeminiTurn {
  const body = isRecord(request.body) ? (request.body as GeminiGenerateBody) : {};
  const contents = Array.isArray(body.contents) ? body.contents.filter(isRecord) : [];
  const lastUserContent = [...contents].reverse().find((content) => content.role === "user" || content.role === undefined);
  const header = request.headers["x-goog-api-key"];
  return {
    request,
    body,
    number,
    model,
    method,
    lastUserContent,
    lastUserText: lastUserContent === undefined ? "" : textOf(lastUserContent),
    functionResponses: lastUserContent === undefined ? [] : functionResponsesOf(lastUserContent),
    toolNames: (Array.isArray(body.tools) ? body.tools : []).flatMap((tool) =>
      (Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : []).flatMap((declaration) =>
        typeof declaration.name === "string" ? [declaration.name] : [],
      ),
    ),
    systemText: isRecord(body.systemInstruction) ? textOf(body.systemInstruction) : "",
    apiKey: typeof header === "string" ? header : request.query.key,
  };
}

/** The text parts of a content, joined with newlines (thought parts left out). */
export function textOf(content: GeminiRequestContent): string {
  return (Array.isArray(content.parts) ? content.parts : [])
    .filter((part) => isRecord(part) && typeof part.text === "string" && part.thought !== true)
    .map((part) => part.text as string)
    .join("\n");
}

/** The `functionResponse` parts of a content. */
function functionResponsesOf(content: GeminiRequestContent): GeminiFunctionResponse[] {
  return (Array.isArray(content.parts) ? content.parts : []).flatMap((part) => {
    if (!isRecord(part) || !isRecord(part.functionResponse)) return [];
    const { name, id, response } = part.functionResponse;
    const fields = isRecord(response) ? response : {};
    const isError = fields.error !== undefined && fields.output === undefined;
    const value = isError ? fields.error : (fields.output ?? response);
    return [
      {
        name: typeof name === "string" ? name : "",
        id: typeof id === "string" ? id : undefined,
        response,
        text: typeof value === "string" ? value : JSON.stringify(value ?? null),
        isError,
      },
    ];
  });
}
