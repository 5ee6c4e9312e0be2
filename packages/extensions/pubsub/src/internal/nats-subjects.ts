import { AsmError } from "@asm/contract";
import type { PubSubPayload } from "../payload.js";

// Topics use `:` between segments (Phoenix style); NATS subjects use `.`. Each segment must be one
// subject token, so a `.` or whitespace inside a segment (a session id, a prefix) is refused
// rather than silently splitting into more tokens. `*` and `>` pass through as wildcards.
export function topicToSubject(topic: string): string {
  const segments = topic.split(":");
  if (segments.some((segment) => segment === "" || /[.\s]/.test(segment))) {
    throw new AsmError("config_invalid", `topic "${topic}" cannot be a NATS subject: segments must be non-empty, without "." or whitespace`, {
      details: { key: "topic", adapter: "nats" },
    });
  }
  return segments.join(".");
}

// On NATS an event travels once, on its most specific subject `<prefix>.session.<sid>.run.<rid>`,
// and the server fans it out: the all-events and per-session topics are wildcard subscriptions.
// This returns that subject when the payload's topics are the standard family (so that every
// subscriber of any of them gets it), and null otherwise (custom topics: one publish per topic).
export function eventSubject(payload: PubSubPayload): string | null {
  const topics = payload.meta?.topics;
  const first = topics?.[0];
  if (!first?.endsWith(":events")) return null;
  const prefix = first.slice(0, -":events".length);
  const { sessionId, runId } = payload.meta;
  const sessionTopic = `${prefix}:session:${sessionId}`;
  const runTopic = `${sessionTopic}:run:${runId}`;
  if (!topics.every((topic) => topic === first || topic === sessionTopic || topic === runTopic)) return null;
  return topicToSubject(runTopic);
}

// What a topic subscribes to on NATS: the standard family maps onto the single event subject
// (`<p>:events` → `<p>.session.*.run.*`, `<p>:session:<sid>` → `<p>.session.<sid>.run.*`); any
// other topic is its own subject.
export function subscriptionSubject(topic: string): string {
  const subject = topicToSubject(topic);
  const tokens = subject.split(".");
  const at = tokens.lastIndexOf("session");
  if (tokens.at(-1) === "events" && tokens.length >= 2) return [...tokens.slice(0, -1), "session", "*", "run", "*"].join(".");
  if (at >= 1 && at === tokens.length - 2) return `${subject}.run.*`;
  return subject;
}
