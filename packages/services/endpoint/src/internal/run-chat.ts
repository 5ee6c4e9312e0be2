import type { IncomingMessage, ServerResponse } from "node:http";
import { AsmError, type AsmEvent } from "@asm/contract";
import { initialRunState, reduceEvent, toResult, type Asm, type RunStream } from "@asm/core";
import { CONVERSATION_HEADER } from "../contracts.js";
import { chunkOf, completionOf, usageChunkOf, usageOf } from "./completion-body.js";
import { finishReasonOf, parseChatRequest, promptOf, requestsTools } from "./chat-request.js";
import type { Lease } from "./lease.js";
import { bodyOfError, sendAsmError, sendJson, statusOf } from "./openai-error.js";


/** What one chat-completions request needs. */
export interface ChatContext {
  asm: Asm;
  lease: Lease;
  req: IncomingMessage;
  res: ServerResponse;
  body: Record<string, unknown>;
}

/** Opens the run's stream: on the conversation's session, or on an ephemeral one. */
async function openStream(context: ChatContext, messages: Parameters<typeof promptOf>[0]): Promise<{ stream: RunStream; release: () => void }> {
  const { asm, lease, req } = context;
  const header = req.headers[CONVERSATION_HEADER];
  const conversationId = typeof header === "string" && header.trim() !== "" ? header.trim() : undefined;
  const options = { ...lease.sessionOptions, model: lease.model };
  if (!conversationId) return { stream: asm.stream(lease.provider, promptOf(messages, false), options), release: () => undefined };
  const { session, release } = await lease.conversations.acquire(conversationId, () => asm.startSession({ provider: lease.provider, ...options }));
  try {
    return { stream: session.stream(promptOf(messages, session.checkpoint() !== null)), release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Answers `POST /v1/chat/completions`: validates, runs the prompt, and answers with one
 * `chat.completion` or an SSE stream of chunks. A client that goes away interrupts its run.
 */
export async function runChat(context: ChatContext): Promise<void> {
  const { asm, lease, res, body } = context;
  if (requestsTools(body)) throw new AsmError("unsupported", "tool calling is not published by this endpoint: the agent runs its own tools", { details: { key: "tools" } });
  const request = parseChatRequest(body);
  if (request.model !== undefined && request.model !== lease.model) {
    throw new AsmError("config_invalid", `endpoint is pinned to model ${lease.model}`, { details: { key: "model" } });
  }
  if (request.stream && !lease.publication.cliStreamingV1) {
    throw new AsmError("unsupported", `the ${lease.provider} endpoint does not publish streaming`, { details: { key: "stream" } });
  }
  const { stream, release } = await openStream(context, request.messages);
  // The conversation is busy (never evicted) until the response is over.
  res.once("close", release);
  let gone = false;
  const onClose = () => {
    if (res.writableEnded) return;
    gone = true;
    asm.interrupt(stream.runId).catch(() => undefined);
  };
  // The response closes when the client goes away (and when it ends: then the run is over).
  res.on("close", onClose);
  const iterator = stream[Symbol.asyncIterator]();
  // The first event is awaited before any header: admission failures (bad options, a full
  // session) still answer with their own status.
  let item: IteratorResult<AsmEvent>;
  try {
    item = await iterator.next();
  } catch (error) {
    sendAsmError(res, error);
    return;
  }
  const created = Math.floor(Date.now() / 1000);
  const state = initialRunState();
  if (!request.stream) {
    while (!item.done) {
      reduceEvent(state, item.value);
      item = await iterator.next();
    }
    const result = toResult(state);
    if (gone) return;
    if (result.error) {
      sendJson(res, statusOf(result.error.code), bodyOfError(result.error));
      return;
    }
    sendJson(res, 200, completionOf(result, lease.model, created, finishReasonOf(result.stopReason)));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  const usageField = request.includeUsage ? null : undefined;
  const write = (data: unknown) => {
    if (!gone) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  write(chunkOf(stream.runId, lease.model, created, { role: "assistant", content: "" }, null, usageField));
  let streamed = false;
  // Deltas since the last whole message: a message after deltas repeats them, one without is new text.
  let deltasSinceMessage = false;
  try {
    while (!item.done) {
      const event = item.value;
      reduceEvent(state, event);
      if (gone) break;
      let content = "";
      if (event.kind === "assistant_delta") {
        content = event.payload.content;
        if (content !== "") deltasSinceMessage = true;
      } else if (event.kind === "assistant_message") {
        if (!deltasSinceMessage) content = event.payload.content.map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : "")).join("");
        deltasSinceMessage = false;
      }
      if (content !== "") {
        streamed = true;
        write(chunkOf(stream.runId, lease.model, created, { content }, null, usageField));
      }
      item = await iterator.next();
    }
  } catch (error) {
    // Headers are out: the failure ends the stream as an error chunk, never a hang.
    state.error ??= AsmError.from(error, "runtime");
  } finally {
    if (gone) await iterator.return?.();
  }
  if (gone) return;
  const result = toResult(state);
  if (result.error) {
    write(bodyOfError(result.error));
    res.end();
    return;
  }
  if (!streamed && result.text !== "") write(chunkOf(stream.runId, lease.model, created, { content: result.text }, null, usageField));
  write(chunkOf(stream.runId, lease.model, created, {}, finishReasonOf(result.stopReason), usageField));
  if (request.includeUsage) write(usageChunkOf(stream.runId, lease.model, created, usageOf(result.usage)));
  res.end("data: [DONE]\n\n");
}
