import { AsmError, type AsmEvent } from "@asm/contract";

/** A topic scope beyond the always-published `<prefix>:events`. */
export type TopicScope = "session" | "run";

/** How an event maps onto topics. */
export interface TopicOptions {
  /** Topic prefix; default `asm`. Must be non-empty and contain no whitespace. */
  prefix?: string;
  /** Which per-session / per-run topics to publish on besides `<prefix>:events`; default both. */
  scopes?: readonly TopicScope[];
}

/** The default topic prefix. */
export const DEFAULT_TOPIC_PREFIX = "asm";
const DEFAULT_SCOPES: readonly TopicScope[] = ["session", "run"];

/** Checks a prefix the way every topic helper does; returns it. */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || prefix === "" || /\s/.test(prefix)) {
    throw new AsmError("config_invalid", "pub/sub topic prefix must be a non-empty string without whitespace", { details: { key: "prefix" } });
  }
  return prefix;
}

/** Checks scopes; returns them. */
export function checkScopes(scopes: unknown): readonly TopicScope[] {
  if (scopes === undefined) return DEFAULT_SCOPES;
  if (!Array.isArray(scopes) || scopes.some((scope) => scope !== "session" && scope !== "run")) {
    throw new AsmError("config_invalid", 'pub/sub scopes must be an array of "session" and "run"', { details: { key: "scopes" } });
  }
  return scopes as TopicScope[];
}

/** `<prefix>:events`: every event of every session. */
export function eventsTopic(prefix: string = DEFAULT_TOPIC_PREFIX): string {
  return `${checkPrefix(prefix)}:events`;
}

/** `<prefix>:session:<sessionId>`: every event of one session. */
export function sessionTopic(sessionId: string, prefix: string = DEFAULT_TOPIC_PREFIX): string {
  return `${checkPrefix(prefix)}:session:${sessionId}`;
}

/** `<prefix>:session:<sessionId>:run:<runId>`: every event of one run. */
export function runTopic(sessionId: string, runId: string, prefix: string = DEFAULT_TOPIC_PREFIX): string {
  return `${checkPrefix(prefix)}:session:${sessionId}:run:${runId}`;
}

/** The topics one event is published on, most general first. */
export function topicsForEvent(event: Pick<AsmEvent, "sessionId" | "runId">, options: TopicOptions = {}): string[] {
  const prefix = checkPrefix(options.prefix ?? DEFAULT_TOPIC_PREFIX);
  const scopes = checkScopes(options.scopes);
  const topics = [`${prefix}:events`];
  if (scopes.includes("session")) topics.push(`${prefix}:session:${event.sessionId}`);
  if (scopes.includes("run")) topics.push(`${prefix}:session:${event.sessionId}:run:${event.runId}`);
  return topics;
}
