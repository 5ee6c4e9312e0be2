/** A provider whose CLI or vendor SDK the repository pins. */
export type ProviderId = "claude" | "codex" | "gemini";

/** One package `pnpm cli:update` keeps current. */
export interface TrackedPackage {
  /** The npm package name. */
  name: string;
  provider: ProviderId;
  /** `cli`: a binary the transcripts are recorded with; `sdk`: a vendor SDK a lane loads. */
  kind: "cli" | "sdk";
  /** The recorder table (`packages/e2e/scripts/*-scenarios.ts`) that re-records its transcripts, if any. */
  recorderTable?: string;
}

/** Every pinned agent CLI and vendor SDK. */
export const TRACKED: readonly TrackedPackage[] = [
  { name: "@anthropic-ai/claude-code", provider: "claude", kind: "cli", recorderTable: "claude" },
  { name: "@anthropic-ai/claude-agent-sdk", provider: "claude", kind: "sdk" },
  { name: "@openai/codex", provider: "codex", kind: "cli", recorderTable: "codex" },
  { name: "@google/gemini-cli", provider: "gemini", kind: "cli" },
];

/** The providers `--provider` accepts. */
export const PROVIDERS: readonly ProviderId[] = ["claude", "codex", "gemini"];
