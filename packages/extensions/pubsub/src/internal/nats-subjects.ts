import { AsmError } from "@asm/contract";

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

export function subjectToTopic(subject: string): string {
  return subject.split(".").join(":");
}
