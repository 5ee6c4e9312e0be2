import { claudeProfile } from "@asm/claude";
import { codexProfile } from "@asm/codex";
import type { BackendEvent, ProviderProfile } from "@asm/contract";
import { geminiProfile } from "@asm/gemini";
import { createUnknownTypeWarnings } from "@asm/provider-utils";
import { feedTranscript, type Transcript } from "@asm/testkit";
import { eventKeyOf } from "./shape-diff.js";
import type { ProviderId } from "./tracked.js";

const PROFILES: Record<ProviderId, ProviderProfile> = { claude: claudeProfile, codex: codexProfile, gemini: geminiProfile };

/** What a parser made of one transcript that signals output it does not handle. */
export interface ParserWarnings {
  /** `raw` events per native event key (`system/status: 2`). */
  raw: Record<string, number>;
  /** The messages of `schema_drift` warnings (from the parser, and the lane's unknown-type tracking). */
  schemaDrift: string[];
}

function nativeKey(event: BackendEvent): string {
  const content = (event.payload as { content?: unknown }).content;
  if (typeof content === "object" && content !== null && !Array.isArray(content)) return eventKeyOf(content as Record<string, unknown>);
  return typeof content === "string" ? "(text line)" : "(other)";
}

/** Replays a transcript through a fresh parser of the provider (as the core lane does) and collects its warnings. */
export function parserWarnings(provider: ProviderId, transcript: Transcript): ParserWarnings {
  const profile = PROFILES[provider];
  const drift = createUnknownTypeWarnings(profile.id);
  const events = feedTranscript(profile.createParser({ provider, reply: () => undefined }), transcript);
  const raw: Record<string, number> = {};
  const schemaDrift: string[] = [];
  for (const event of events) {
    const warning = drift.after(event);
    for (const one of warning === undefined ? [event] : [event, warning]) {
      if (one.kind === "raw") raw[nativeKey(one)] = (raw[nativeKey(one)] ?? 0) + 1;
      const payload = one.payload as { code?: unknown; message?: unknown };
      if (one.kind === "warning" && payload.code === "schema_drift") schemaDrift.push(String(payload.message));
    }
  }
  return { raw, schemaDrift };
}

/**
 * The warnings of `after` that `before` did not have: native event keys that now come out as
 * `raw` and did not before (a key passed through as raw in both is known output, such as the
 * answers to ASM's own control requests), and new `schema_drift` messages.
 */
export function appearedWarnings(before: ParserWarnings | undefined, after: ParserWarnings): ParserWarnings {
  const raw: Record<string, number> = {};
  for (const [key, count] of Object.entries(after.raw)) {
    if ((before?.raw[key] ?? 0) === 0) raw[key] = count;
  }
  const known = new Set(before?.schemaDrift ?? []);
  return { raw, schemaDrift: after.schemaDrift.filter((message) => !known.has(message)) };
}
