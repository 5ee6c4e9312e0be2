import type { FakeHttpServer } from "./http-server.js";

/** Decides the reply to one model call. */
export type ReplyResponder<Turn, Reply> = (turn: Turn) => Reply | Promise<Reply>;

/** The scripting surface every fake model server offers, on top of the HTTP server. */
export interface ScriptedFakeServer<Turn, Reply, Self> extends FakeHttpServer {
  /** The model calls so far, parsed. */
  readonly turns: Turn[];
  /** Appends replies (or per-call responders) to the queue; each is used for one call. */
  script(...replies: Array<Reply | ReplyResponder<Turn, Reply>>): Self;
  /** Replaces the responder used when the queue is empty. */
  respondWith(responder: ReplyResponder<Turn, Reply>): Self;
  /** Empties the queue and forgets the recorded requests and turns. */
  reset(): void;
}

/**
 * The reply queue of a fake model server: scripted replies are used in order, one per call, then
 * the fallback responder decides. Also keeps the calls seen.
 */
export class ReplyScript<Turn, Reply> {
  /** The model calls so far. */
  readonly turns: Turn[] = [];
  private readonly queue: Array<Reply | ReplyResponder<Turn, Reply>>;

  constructor(
    replies: ReadonlyArray<Reply | ReplyResponder<Turn, Reply>> = [],
    private responder: ReplyResponder<Turn, Reply>,
  ) {
    this.queue = [...replies];
  }

  /** Records a call and returns its reply. */
  async replyTo(turn: Turn): Promise<Reply> {
    this.turns.push(turn);
    const next = this.queue.shift() ?? this.responder;
    return typeof next === "function" ? await (next as ReplyResponder<Turn, Reply>)(turn) : next;
  }

  /** Appends replies to the queue. */
  push(replies: ReadonlyArray<Reply | ReplyResponder<Turn, Reply>>): void {
    this.queue.push(...replies);
  }

  /** Replaces the fallback responder. */
  respondWith(responder: ReplyResponder<Turn, Reply>): void {
    this.responder = responder;
  }

  /** Empties the queue and forgets the calls. */
  reset(): void {
    this.queue.length = 0;
    this.turns.length = 0;
  }
}

/**
 * Builds a fake model server's public object: the HTTP server's live fields, the scripting
 * methods (chainable) and the server's own `extra` members (getters stay live). `onReset` clears
 * whatever else the server records.
 */
export function scriptedServer<Turn, Reply, Self extends ScriptedFakeServer<Turn, Reply, Self>>(
  server: FakeHttpServer,
  script: ReplyScript<Turn, Reply>,
  extra: Omit<Self, keyof ScriptedFakeServer<Turn, Reply, Self>>,
  onReset: () => void = () => undefined,
): Self {
  const api = Object.defineProperties(
    {
      turns: script.turns,
      waitForRequests: server.waitForRequests.bind(server),
      close: () => server.close(),
      script(...replies: Array<Reply | ReplyResponder<Turn, Reply>>) {
        script.push(replies);
        return api;
      },
      respondWith(responder: ReplyResponder<Turn, Reply>) {
        script.respondWith(responder);
        return api;
      },
      reset() {
        script.reset();
        server.requests.length = 0;
        onReset();
      },
    },
    {
      url: { get: () => server.url, enumerable: true },
      port: { get: () => server.port, enumerable: true },
      requests: { get: () => server.requests, enumerable: true },
      ...Object.getOwnPropertyDescriptors(extra),
    },
  ) as unknown as Self;
  return api;
}
