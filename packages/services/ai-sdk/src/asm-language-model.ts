import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from "@ai-sdk/provider";
import type { AsmEvent } from "@asm/contract";
import { initialRunState, reduceEvent, toResult, type Asm, type RunStream } from "@asm/core";
import { refuseUnsupported } from "./internal/call-options.js";
import { EventParts } from "./internal/event-parts.js";
import { finishReasonOf, metadataOf, sessionMetadata, usageOf } from "./internal/finish.js";
import { runPromptOf } from "./internal/prompt.js";

/** Settings of one ASM language model. */
export interface AsmModelSettings {
  /** The model id handed to the provider (default: the provider's default). */
  model?: string;
  /** Session options of every run (`cwd`, `cliPath`, `permissionMode`, provider options, …). */
  sessionOptions?: Record<string, unknown>;
}

/**
 * An AI SDK language model (specification `v4`) whose calls are ASM runs of one provider: text
 * and reasoning parts, the agent's tool calls as provider-executed parts, usage and finish
 * reasons, `abortSignal` interrupting the run, and the provider session id in
 * `providerMetadata.asm` so a follow-up continues the conversation.
 */
export class AsmLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly provider: string;
  readonly modelId: string;

  constructor(
    private readonly asm: Asm,
    private readonly providerName: string,
    private readonly settings: AsmModelSettings = {},
  ) {
    this.provider = `asm.${providerName}`;
    this.modelId = settings.model ?? providerName;
  }

  /** Starts the run for a call; its stream is lazy until read. */
  private open(options: LanguageModelV4CallOptions): RunStream {
    refuseUnsupported(options);
    const prompt = runPromptOf(options.prompt, options.providerOptions);
    return this.asm.stream(this.providerName, prompt.text, {
      ...this.settings.sessionOptions,
      ...(this.settings.model === undefined ? {} : { model: this.settings.model }),
      ...(prompt.providerSessionId === undefined ? {} : { continuation: { strategy: "exact", providerSessionId: prompt.providerSessionId } }),
    });
  }

  /** Interrupts the run when the caller's signal aborts; returns the function that stops listening. */
  private watchAbort(stream: RunStream, signal: AbortSignal | undefined): () => void {
    if (!signal) return () => undefined;
    const onAbort = () => void this.asm.interrupt(stream.runId).catch(() => undefined);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const stream = this.open(options);
    const unwatch = this.watchAbort(stream, options.abortSignal);
    const state = initialRunState();
    const parts = new EventParts();
    const content: LanguageModelV4Content[] = [];
    try {
      for await (const event of stream) {
        reduceEvent(state, event);
        for (const part of parts.partsOf(event)) appendContent(content, part);
      }
    } finally {
      unwatch();
    }
    const result = toResult(state);
    if (result.error) throw result.error;
    // Every part names the provider session: the AI SDK copies part metadata into the response
    // messages, which is how a follow-up finds the session to continue.
    const metadata = metadataOf(result);
    for (const part of content) part.providerMetadata = metadata;
    return {
      content,
      finishReason: finishReasonOf(result),
      usage: usageOf(result),
      providerMetadata: metadataOf(result),
      response: { id: result.runId, ...(this.settings.model ? { modelId: this.settings.model } : {}) },
      warnings: [],
    };
  }

  doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const stream = this.open(options);
    const iterator = stream[Symbol.asyncIterator]();
    const state = initialRunState();
    const parts = new EventParts();
    let unwatch: () => void = () => undefined;
    const readable = new ReadableStream<LanguageModelV4StreamPart>({
      start: (controller) => {
        unwatch = this.watchAbort(stream, options.abortSignal);
        controller.enqueue({ type: "stream-start", warnings: [] });
      },
      // Each pull enqueues at least one part: a pull that enqueues nothing is not repeated.
      pull: async (controller) => {
        for (;;) {
          let next: IteratorResult<AsmEvent>;
          try {
            next = await iterator.next();
          } catch (error) {
            unwatch();
            controller.enqueue({ type: "error", error });
            controller.close();
            return;
          }
          if (next.done) {
            unwatch();
            const result = toResult(state);
            for (const part of parts.closeText(metadataOf(result))) controller.enqueue(part);
            if (result.error) controller.enqueue({ type: "error", error: result.error });
            controller.enqueue({ type: "finish", usage: usageOf(result), finishReason: finishReasonOf(result), providerMetadata: metadataOf(result) });
            controller.close();
            return;
          }
          reduceEvent(state, next.value);
          const produced = parts.partsOf(next.value, sessionMetadata(state.capturedSessionId));
          for (const part of produced) controller.enqueue(part);
          if (produced.length > 0) return;
        }
      },
      cancel: async () => {
        unwatch();
        // The reader went away: the run is interrupted and its process gone before this resolves.
        await iterator.return?.();
      },
    });
    return Promise.resolve({ stream: readable });
  }
}

/** Folds a stream part into generate content (deltas of one block join into one part). */
function appendContent(content: LanguageModelV4Content[], part: LanguageModelV4StreamPart): void {
  switch (part.type) {
    case "text-start":
      content.push({ type: "text", text: "" });
      return;
    case "reasoning-start":
      content.push({ type: "reasoning", text: "" });
      return;
    case "text-delta":
    case "reasoning-delta": {
      const last = content.at(-1);
      if (last && (last.type === "text" || last.type === "reasoning")) last.text += part.delta;
      return;
    }
    case "tool-call":
    case "tool-result":
      content.push(part);
      return;
    default:
      return;
  }
}
